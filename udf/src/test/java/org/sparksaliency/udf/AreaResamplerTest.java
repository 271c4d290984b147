package org.sparksaliency.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AreaResamplerTest {

  @Test
  void sameSizeReturnsTheInputUntouched() {
    float[] src = {1, 2, 3, 4};
    assertThat(AreaResampler.resample(src, 2, 2, 2, 2)).isSameAs(src);
  }

  @Test
  void integerFactorAveragesBlocks() {
    float[] src = {
      1, 2, 3, 4,
      5, 6, 7, 8,
      9, 10, 11, 12,
      13, 14, 15, 16
    };
    float[] out = AreaResampler.resample(src, 4, 4, 2, 2);
    assertThat(out).containsExactly(3.5f, 5.5f, 11.5f, 13.5f);
  }

  @Test
  void fractionalFactorWeighsCellsByOverlap() {
    // 3 -> 2 along one axis: output 0 covers [0, 1.5): cell0 fully, half of cell1.
    float[] src = {3, 6, 9};
    float[] out = AreaResampler.resample(src, 1, 3, 1, 2);
    assertThat(out[0]).isCloseTo((3f * 1 + 6f * 0.5f) / 1.5f, within(1e-5f));
    assertThat(out[1]).isCloseTo((6f * 0.5f + 9f * 1) / 1.5f, within(1e-5f));
  }

  @Test
  void preservesTheMeanWhenDownsampling() {
    float[] src = new float[128 * 128];
    for (int i = 0; i < src.length; i++) {
      src[i] = (float) Math.sin(i * 0.37);
    }
    float[] out = AreaResampler.resample(src, 128, 128, 56, 56);
    assertThat(SaliencyStatistics.mean(out)).isCloseTo(SaliencyStatistics.mean(src), within(1e-5));
  }
}
