package org.sparksaliency.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SaliencyStatisticsTest {

  @Test
  void entropyIsOneForFlatAndZeroForOneHotMaps() {
    assertThat(SaliencyStatistics.normalisedEntropy(new float[] {1, 1, 1, 1}))
        .isCloseTo(1.0, within(1e-12));
    assertThat(SaliencyStatistics.normalisedEntropy(new float[] {0, 5, 0, 0}))
        .isCloseTo(0.0, within(1e-12));
    // p = (0.5, 0.5, 0, 0): H = ln 2, normalised by ln 4 -> 0.5
    assertThat(SaliencyStatistics.normalisedEntropy(new float[] {1, -1, 0, 0}))
        .isCloseTo(0.5, within(1e-12));
  }

  @Test
  void giniIsZeroForFlatAndNearOneForOneHotMaps() {
    assertThat(SaliencyStatistics.gini(new float[] {2, 2, 2, 2})).isCloseTo(0.0, within(1e-12));
    // one of n cells: 1 - 1/n (Hurley and Rickard)
    assertThat(SaliencyStatistics.gini(new float[] {0, 0, 0, 7})).isCloseTo(0.75, within(1e-12));
  }

  @Test
  void peakIsTheLargestMagnitude() {
    assertThat(SaliencyStatistics.peakIndex(new float[] {0.5f, -3f, 2f})).isEqualTo(1);
  }

  @Test
  void massInBoxCountsPartialCellsByArea() {
    float[] map = {
      1, 1,
      1, 1
    };
    assertThat(SaliencyStatistics.massInBox(map, 2, 2, 0, 0, 0.5, 0.5))
        .isCloseTo(0.25, within(1e-12));
    assertThat(SaliencyStatistics.massInBox(map, 2, 2, 0.25, 0, 0.75, 1))
        .isCloseTo(0.5, within(1e-12));
  }

  /**
   * An uneven signed map of 8 × 8 cells with one clear peak (cell 27), a few zeros and a negative
   * region.
   */
  private static float[] uneven() {
    float[] map = new float[64];
    for (int i = 0; i < map.length; i++) {
      map[i] = (float) (Math.sin(0.37 * i) * (i % 5));
    }
    map[27] = 9f;
    return map;
  }

  private static float[] times(float[] map, double c) {
    float[] out = new float[map.length];
    for (int i = 0; i < map.length; i++) {
      out[i] = (float) (map[i] * c);
    }
    return out;
  }

  @Test
  void scaleFreeStatisticsOfTinyAndHugeMapsEqualThoseOfTheMap() {
    float[] map = uneven();
    // 1e-12 (a model whose logits are scaled by 1e-12), 1e-24 (a square of such gradients), 1e-40
    // (float
    // subnormals) and 1e36 (near the float maximum, where 64 cells sum past it).
    for (double c : new double[] {1e-12, 1e-24, 1e-40, 1e36}) {
      float[] scaled = times(map, c);
      // float rounding of c · v: 6e-8 relative for normal values, about 1e-5 at 1e-40 where
      // subnormals keep
      // fewer bits.
      double tolerance = c < 1e-38 ? 1e-4 : 1e-6;
      assertThat(SaliencyStatistics.normalisedEntropy(scaled))
          .as("entropy at c = %s", c)
          .isFinite()
          .isCloseTo(SaliencyStatistics.normalisedEntropy(map), within(tolerance));
      assertThat(SaliencyStatistics.gini(scaled))
          .as("gini at c = %s", c)
          .isFinite()
          .isCloseTo(SaliencyStatistics.gini(map), within(tolerance));
      assertThat(SaliencyStatistics.massInBox(scaled, 8, 8, 0.1, 0.2, 0.6, 0.9))
          .as("box mass at c = %s", c)
          .isFinite()
          .isCloseTo(
              SaliencyStatistics.massInBox(map, 8, 8, 0.1, 0.2, 0.6, 0.9), within(tolerance));
      assertThat(SaliencyStatistics.peakIndex(scaled)).as("peak at c = %s", c).isEqualTo(27);
      assertThat(SaliencyStatistics.mean(scaled) / c)
          .as("mean / c at c = %s", c)
          .isFinite()
          .isCloseTo(SaliencyStatistics.mean(map), within(tolerance));
    }
    assertThat(SaliencyStatistics.normalisedEntropy(map)).isBetween(0.5, 0.99);
    assertThat(SaliencyStatistics.gini(map)).isBetween(0.1, 0.9);
  }

  @Test
  void aMapWithoutMassCountsAsFlat() {
    float[] zeros = new float[16];
    float[] flat = new float[16];
    java.util.Arrays.fill(flat, 3f);
    assertThat(SaliencyStatistics.mean(zeros)).isZero();
    assertThat(SaliencyStatistics.normalisedEntropy(zeros)).isEqualTo(1.0);
    assertThat(SaliencyStatistics.gini(zeros)).isZero();
    // The box covers 1/2 × 1/4 of the grid: the mass a flat map puts inside it.
    assertThat(SaliencyStatistics.massInBox(zeros, 4, 4, 0, 0.25, 0.5, 0.5))
        .isCloseTo(0.125, within(1e-12));
    assertThat(SaliencyStatistics.massInBox(zeros, 4, 4, 0, 0.25, 0.5, 0.5))
        .isCloseTo(SaliencyStatistics.massInBox(flat, 4, 4, 0, 0.25, 0.5, 0.5), within(1e-12));
    assertThat(SaliencyStatistics.isFlat(zeros)).isTrue();
    assertThat(SaliencyStatistics.isFlat(flat)).isTrue();
    assertThat(SaliencyStatistics.isFlat(new float[] {2f, -2f, 2f})).isTrue();
    assertThat(SaliencyStatistics.isFlat(new float[] {0f, 0f, 1e-45f})).isFalse();
  }
}
