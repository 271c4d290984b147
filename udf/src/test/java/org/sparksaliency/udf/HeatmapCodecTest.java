package org.sparksaliency.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HeatmapCodecTest {

  @Test
  void encodesOverItsOwnRangeAndDecodesWithinHalfAStep() {
    float[] values = {-1f, 0f, 0.5f, 3f, 2.2f, -0.3f};
    EncodedHeatmap e = HeatmapCodec.encode(values, 2, 3);
    assertThat(e.min()).isEqualTo(-1f);
    assertThat(e.max()).isEqualTo(3f);
    assertThat(e.bytes()[0] & 0xFF).isZero();
    assertThat(e.bytes()[3] & 0xFF).isEqualTo(255);
    // 0.5 sits at (0.5 + 1) / 4 * 255 = 95.625 -> 96
    assertThat(e.bytes()[2] & 0xFF).isEqualTo(96);
    float step = (3f - -1f) / 255f;
    float[] decoded = e.decode();
    for (int i = 0; i < values.length; i++) {
      assertThat(decoded[i]).isCloseTo(values[i], within(step / 2 + 1e-6f));
    }
  }

  @Test
  void constantMapIsAllZeroBytes() {
    EncodedHeatmap e = HeatmapCodec.encode(new float[] {2f, 2f, 2f, 2f}, 2, 2);
    assertThat(e.bytes()).containsOnly((byte) 0);
    assertThat(e.decode()).containsOnly(2f);
    assertThat(e.normalised()).containsOnly(0f);
  }

  @Test
  void refusesNonFiniteValues() {
    assertThatThrownBy(() -> HeatmapCodec.encode(new float[] {1f, Float.NaN}, 1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot encode heatmap: it holds a non-finite value (NaN)");
  }

  @Test
  void refusesBytesThatDoNotFillTheGrid() {
    assertThatThrownBy(() -> new EncodedHeatmap(2, 2, 0f, 1f, new byte[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create heatmap: 3 bytes do not fill 2 x 2 cells");
  }
}
