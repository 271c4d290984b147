package org.sparksaliency.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankCorrelationTest {

  @Test
  void withoutTiesItIsTheClassicFormula() {
    // ranks 1..5 against 2, 1, 3, 5, 4: sum d^2 = 4, rho = 1 - 6 * 4 / (5 * 24)
    float[] a = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f};
    float[] b = {20, 10, 30, 50, 40};
    assertThat(RankCorrelation.spearman(a, b)).isCloseTo(1 - 24.0 / 120, within(1e-12));
    assertThat(RankCorrelation.spearman(a, new float[] {5, 4, 3, 2, 1}))
        .isCloseTo(-1, within(1e-12));
  }

  @Test
  void tiesShareTheirMeanRankAndSignsAreIgnored() {
    assertThat(RankCorrelation.ranks(new float[] {0, 3, 0, -3, 1}, true))
        .containsExactly(1.5, 4.5, 1.5, 4.5, 3);
    // ranks (1.5, 1.5, 3, 4) against (1, 2, 3, 4): Pearson of the ranks
    double rho = RankCorrelation.spearman(new float[] {0, 0, 1, 2}, new float[] {1, 2, 3, 4});
    double[] x = {1.5, 1.5, 3, 4};
    double[] y = {1, 2, 3, 4};
    assertThat(rho).isCloseTo(pearson(x, y), within(1e-12));
  }

  @Test
  void aConstantMapHasNoCorrelation() {
    assertThat(RankCorrelation.spearman(new float[] {1, 1, 1}, new float[] {1, 2, 3})).isNaN();
  }

  @Test
  void mapsOfDifferentSizesAreRejected() {
    assertThatThrownBy(() -> RankCorrelation.spearman(new float[3], new float[4]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot correlate heatmaps: 3 and 4 cells");
  }

  private static double pearson(double[] x, double[] y) {
    double mx = (x[0] + x[1] + x[2] + x[3]) / 4;
    double my = (y[0] + y[1] + y[2] + y[3]) / 4;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < 4; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  @Test
  void signedRanksOrderNegativeValuesBelowZero() {
    assertThat(RankCorrelation.ranks(new float[] {0, 3, 0, -3, 1}, false))
        .containsExactly(2.5, 5, 2.5, 1, 4);
    float[] a = {-2, -1, 0, 1, 2};
    float[] b = {2, 1, 0, -1, -2};
    assertThat(RankCorrelation.spearmanSigned(a, a)).isEqualTo(1.0);
    assertThat(RankCorrelation.spearmanSigned(a, b)).isEqualTo(-1.0);
    assertThat(RankCorrelation.spearman(a, b)).as("magnitudes agree").isEqualTo(1.0);
  }
}
