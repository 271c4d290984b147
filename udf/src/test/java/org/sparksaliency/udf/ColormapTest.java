package org.sparksaliency.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ColormapTest {

  @Test
  void viridisStaysWithinTwoStepsOfMatplotlibsTable() {
    // Entries k of matplotlib's 256-entry _viridis_data, i.e. the colour of t = k / 255, rounded to
    // 8 bits.
    Map<Integer, Integer> reference =
        Map.of(
            0, 0x440154, 32, 0x472D7B, 64, 0x3B528B, 100, 0x2A768E, 128, 0x21918C, 160, 0x28AE80,
            191, 0x5CC863, 230, 0xBDDF26, 255, 0xFDE725);
    reference.forEach(
        (k, rgb) -> {
          int got = Colormap.VIRIDIS.rgb(k / 255.0);
          for (int shift : new int[] {16, 8, 0}) {
            assertThat(got >> shift & 0xFF)
                .as("t = %d/255, shift %d", k, shift)
                .isCloseTo(rgb >> shift & 0xFF, within(2));
          }
        });
    assertThat(Colormap.VIRIDIS.rgb(0)).isEqualTo(0x440154);
    assertThat(Colormap.VIRIDIS.rgb(1)).isEqualTo(0xFDE725);
  }

  @Test
  void jetIsThePiecewiseLinearRamp() {
    assertThat(Colormap.JET.rgb(0)).isEqualTo(0x000080);
    assertThat(Colormap.JET.rgb(0.125)).isEqualTo(0x0000FF);
    assertThat(Colormap.JET.rgb(0.375)).isEqualTo(0x00FFFF);
    assertThat(Colormap.JET.rgb(0.5)).isEqualTo(0x80FF80);
    assertThat(Colormap.JET.rgb(0.625)).isEqualTo(0xFFFF00);
    assertThat(Colormap.JET.rgb(0.875)).isEqualTo(0xFF0000);
    assertThat(Colormap.JET.rgb(1)).isEqualTo(0x800000);
  }

  @Test
  void valuesOutsideTheUnitIntervalAreClamped() {
    assertThat(Colormap.JET.rgb(-3)).isEqualTo(Colormap.JET.rgb(0));
    assertThat(Colormap.VIRIDIS.rgb(7)).isEqualTo(Colormap.VIRIDIS.rgb(1));
    assertThat(Colormap.VIRIDIS.rgb(Double.NaN)).isEqualTo(Colormap.VIRIDIS.rgb(0));
  }

  @Test
  void namesAreCaseInsensitiveAndUnknownOnesListTheKnown() {
    assertThat(Colormap.named("Viridis")).isEqualTo(Colormap.VIRIDIS);
    assertThat(Colormap.named("jet")).isEqualTo(Colormap.JET);
    assertThatThrownBy(() -> Colormap.named("turbo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot use colormap 'turbo': unknown; known: viridis, jet");
  }
}
