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
  void rangesWiderThanTheFloatMaximumEncodeAndDecodeFinite() {
    // max - min = 6e38 overflows float: byte 0 decoded to 0 × ∞ = NaN, and 1e38 - min = 4e38
    // encoded as 255.
    float[] values = {-3e38f, 3e38f, 1e38f, -1e38f};
    EncodedHeatmap e = HeatmapCodec.encode(values, 2, 2);
    assertThat(e.bytes()[1] & 0xFF).isEqualTo(255);
    assertThat(e.bytes()[2] & 0xFF).isEqualTo(170); // 4/6 of 255
    assertThat(e.bytes()[3] & 0xFF).isEqualTo(85); // 2/6 of 255
    float[] decoded = e.decode();
    double halfStep = 6e38 / 255 / 2;
    for (int i = 0; i < values.length; i++) {
      assertThat(decoded[i]).as("cell %d", i).isFinite();
      assertThat((double) decoded[i]).as("cell %d", i).isCloseTo(values[i], within(halfStep));
    }
  }

  @Test
  void subnormalRangesKeepTheirSteps() {
    // max - min = 1e-43: in float the step (max - min) / 255 was 0, so every cell decoded to min.
    float[] values = {0f, 1e-43f, 5e-44f, 2e-44f};
    EncodedHeatmap e = HeatmapCodec.encode(values, 2, 2);
    float[] decoded = e.decode();
    assertThat(decoded[1]).isEqualTo(1e-43f);
    assertThat(decoded[2]).isBetween(4e-44f, 6e-44f);
    assertThat(decoded[3]).isBetween(1e-44f, 3e-44f);
    assertThat(decoded[0]).isZero();
  }

  @Test
  void tinyMapsEncodeLikeTheMapTimesAConstant() {
    float[] values = {-1f, 0f, 0.5f, 3f, 2.2f, -0.3f};
    float[] tiny = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      tiny[i] = values[i] * 1e-12f;
    }
    EncodedHeatmap e = HeatmapCodec.encode(tiny, 2, 3);
    assertThat(e.bytes()).containsExactly(HeatmapCodec.encode(values, 2, 3).bytes());
    assertThat(e.max()).isEqualTo(3e-12f);
    float[] decoded = e.decode();
    for (int i = 0; i < values.length; i++) {
      assertThat(decoded[i]).isCloseTo(tiny[i], within(4e-12f / 255 / 2 * 1.001f));
    }
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
