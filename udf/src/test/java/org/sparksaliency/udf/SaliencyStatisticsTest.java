package org.sparksaliency.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SaliencyStatisticsTest {

  @Test
  void entropyIsOneForFlatAndZeroForOneHotMaps() {
    assertThat(SaliencyStatistics.normalisedEntropy(new float[] {1, 1, 1, 1})).isCloseTo(1.0, within(1e-12));
    assertThat(SaliencyStatistics.normalisedEntropy(new float[] {0, 5, 0, 0})).isCloseTo(0.0, within(1e-12));
    // p = (0.5, 0.5, 0, 0): H = ln 2, normalised by ln 4 -> 0.5
    assertThat(SaliencyStatistics.normalisedEntropy(new float[] {1, -1, 0, 0})).isCloseTo(0.5, within(1e-12));
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
    assertThat(SaliencyStatistics.massInBox(map, 2, 2, 0, 0, 0.5, 0.5)).isCloseTo(0.25, within(1e-12));
    assertThat(SaliencyStatistics.massInBox(map, 2, 2, 0.25, 0, 0.75, 1)).isCloseTo(0.5, within(1e-12));
    assertThat(SaliencyStatistics.massInBox(new float[4], 2, 2, 0, 0, 1, 1)).isZero();
  }
}
