package org.sparksaliency.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The SQL functions on stored maps of tiny (and huge) magnitude give what they give on the map
 * itself, from float subnormals to a range wider than the float maximum, and an all-zero map gives
 * the values of a flat one.
 */
class TinyHeatmapSqlTest {
  private static final int SIDE = 6;

  /** A signed map with distinct magnitudes, largest at cell 14. */
  private static float[] map(double c) {
    float[] m = new float[SIDE * SIDE];
    for (int i = 0; i < m.length; i++) {
      m[i] = (float) (c * (i % 2 == 0 ? 1 : -1) * (1 + (i * 7) % 23));
    }
    m[14] = (float) (c * 40);
    return m;
  }

  private static double maxAbs(float[] values) {
    double m = 0;
    for (float v : values) {
      m = Math.max(m, Math.abs((double) v));
    }
    return m;
  }

  private static EncodedHeatmap encoded(double c) {
    return HeatmapCodec.encode(map(c), SIDE, SIDE);
  }

  @Test
  void tinyAndHugeMapsGiveTheFunctionsOfTheMap() {
    EncodedHeatmap unit = encoded(1);
    // 1e-12: logits scaled by 1e-12; 1e-43: a range of float subnormals; 7e36: a range of 5.6e38,
    // past the
    // float maximum, which decoded to NaN and infinities.
    for (double c : new double[] {1e-12, 1e-24, 1e-43, 7e36}) {
      EncodedHeatmap tiny = encoded(c);
      assertThat(HeatmapSql.similarity(tiny, unit)).as("similarity at %s", c).isNotNull();
      assertThat(HeatmapSql.similarity(tiny, unit))
          .as("similarity at %s", c)
          .isCloseTo(1.0, within(1e-2));
      assertThat(HeatmapSql.peak(tiny)).as("peak at %s", c).containsExactly(HeatmapSql.peak(unit));
      assertThat(HeatmapSql.massInBox(tiny, 0.1, 0.2, 0.7, 0.6))
          .as("box mass at %s", c)
          .isCloseTo(HeatmapSql.massInBox(unit, 0.1, 0.2, 0.7, 0.6), within(0.02));
      assertThat(HeatmapSql.iou(tiny, 0.8, 0.1, 0.2, 0.7, 0.6))
          .as("iou at %s", c)
          .isCloseTo(HeatmapSql.iou(unit, 0.8, 0.1, 0.2, 0.7, 0.6), within(0.05));
      HeatmapAccumulator avg = new HeatmapAccumulator();
      avg.add(tiny);
      assertThat(avg.mean().bytes()).as("average at %s", c).containsExactly(tiny.bytes());
      float[] resized = HeatmapSql.decode(HeatmapSql.resize(tiny, 3));
      float[] unitResized = HeatmapSql.decode(HeatmapSql.resize(unit, 3));
      assertThat(resized).as("resized at %s", c).hasSize(3 * 3);
      for (float v : resized) {
        assertThat(v).as("resized at %s", c).isFinite();
      }
      // The resized map is the unit map's, resized, times a constant: equal once both are divided
      // by their max.
      double tinyMax = maxAbs(resized);
      double unitMax = maxAbs(unitResized);
      for (int k = 0; k < resized.length; k++) {
        assertThat(resized[k] / tinyMax)
            .as("resized cell %d at %s", k, c)
            .isCloseTo(unitResized[k] / unitMax, within(2.0 / 255));
      }
    }
  }

  @Test
  void anAllZeroMapGivesTheValuesOfAFlatOne() {
    EncodedHeatmap zero = HeatmapCodec.encode(new float[SIDE * SIDE], SIDE, SIDE);
    assertThat(HeatmapSql.decode(zero)).containsOnly(0f);
    assertThat(HeatmapSql.similarity(zero, encoded(1))).isNull();
    assertThat(HeatmapSql.massInBox(zero, 0, 0, 0.5, 0.5)).isCloseTo(0.25, within(1e-12));
    assertThat(HeatmapSql.iou(zero, 0.5, 0, 0, 0.5, 0.5)).isZero();
    assertThat(HeatmapSql.resize(zero, 3).bytes()).containsOnly((byte) 0);
  }
}
