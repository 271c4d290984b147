package org.sparksaliency.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HeatmapAccumulatorTest {
  private static final EncodedHeatmap A =
      new EncodedHeatmap(1, 3, 0, 1, new byte[] {0, (byte) 255, (byte) 255});
  private static final EncodedHeatmap B =
      new EncodedHeatmap(1, 3, 5, 9, new byte[] {(byte) 255, 0, (byte) 255});

  @Test
  void meanOfNormalisedMapsKeepsTheGrid() {
    HeatmapAccumulator acc = new HeatmapAccumulator();
    acc.add(A);
    acc.add(B);
    // normalised means 0.5, 0.5, 1 -> range [0.5, 1], bytes 0, 0, 255
    EncodedHeatmap mean = acc.mean();
    assertThat(mean).isEqualTo(new EncodedHeatmap(1, 3, 0.5f, 1, new byte[] {0, 0, (byte) 255}));
    assertThat(acc.count()).isEqualTo(2);
  }

  @Test
  void mergingPartsGivesTheSameMeanAsOneRun() {
    HeatmapAccumulator left = new HeatmapAccumulator();
    left.add(A);
    HeatmapAccumulator right = new HeatmapAccumulator();
    right.add(B);
    HeatmapAccumulator restored =
        HeatmapAccumulator.of(right.height(), right.width(), right.sums().clone(), right.count());
    HeatmapAccumulator empty = new HeatmapAccumulator();
    empty.merge(left);
    empty.merge(restored);
    empty.merge(new HeatmapAccumulator());
    HeatmapAccumulator one = new HeatmapAccumulator();
    one.add(A);
    one.add(B);
    assertThat(empty.mean()).isEqualTo(one.mean());
  }

  @Test
  void nothingAddedGivesNoMean() {
    assertThat(new HeatmapAccumulator().mean()).isNull();
  }

  @Test
  void mapsOfAnotherGridAreRejected() {
    HeatmapAccumulator acc = new HeatmapAccumulator();
    acc.add(A);
    assertThatThrownBy(() -> acc.add(new EncodedHeatmap(3, 1, 0, 1, new byte[3])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot average heatmaps of different sizes (1 x 3 and 3 x 1)");
    assertThatThrownBy(() -> HeatmapAccumulator.of(2, 2, new double[3], 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot restore heatmap mean: 3 sums do not fill 2 x 2 cells");
  }
}
