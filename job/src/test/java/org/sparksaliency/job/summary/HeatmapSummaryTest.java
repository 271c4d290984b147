package org.sparksaliency.job.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A map at model-input resolution through resampling, encoding and statistics: maps of any finite
 * magnitude, 1e-12 and an all-zero map included, give finite rows whose scale-free values do not
 * depend on the magnitude.
 */
class HeatmapSummaryTest {
  private static final int INPUT = 32;
  private static final int GRID = 8;
  private static final int WIDTH = 64;
  private static final int HEIGHT = 48;

  /** Around the map's peak, (20, 12) in input pixels = (40, 18) image pixels. */
  private static final Optional<Box> BOX = Optional.of(new Box(24, 6, 56, 30));

  /** A smooth signed map with one bump, at input resolution. */
  private static float[] map(double c) {
    float[] m = new float[INPUT * INPUT];
    for (int y = 0; y < INPUT; y++) {
      for (int x = 0; x < INPUT; x++) {
        double bump = Math.exp(-((x - 20) * (x - 20) + (y - 12) * (y - 12)) / 18.0);
        m[y * INPUT + x] = (float) (c * (3 * bump + 0.2 * Math.sin(0.4 * x) * Math.cos(0.3 * y)));
      }
    }
    return m;
  }

  private static HeatmapSummary summary(float[] map) {
    return HeatmapSummary.of(map, INPUT, GRID, WIDTH, HEIGHT, BOX).orElseThrow();
  }

  @Test
  void tinyMapsGiveTheStatisticsOfTheMap() {
    HeatmapSummary unit = summary(map(1));
    assertThat(unit.pointingHit()).contains(true);
    assertThat(unit.entropy()).isBetween(0.5, 0.99);
    for (double c : new double[] {1e-12, 1e-24, 1e-36}) {
      HeatmapSummary s = summary(map(c));
      assertThat(s.heatmap().max() / c)
          .as("max / c at %s", c)
          .isCloseTo(unit.heatmap().max(), within(1e-5));
      assertThat(s.heatmap().min() / c)
          .as("min / c at %s", c)
          .isCloseTo(unit.heatmap().min(), within(1e-5));
      byte[] a = unit.heatmap().bytes();
      byte[] b = s.heatmap().bytes();
      for (int i = 0; i < a.length; i++) {
        // The same map up to float rounding of c · v: at most one quantisation step apart.
        assertThat(Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)))
            .as("byte %d at %s", i, c)
            .isLessThanOrEqualTo(1);
      }
      assertThat(s.mean() / c).as("mean / c at %s", c).isCloseTo(unit.mean(), within(1e-6));
      assertThat(s.entropy()).as("entropy at %s", c).isCloseTo(unit.entropy(), within(1e-6));
      assertThat(s.gini()).as("gini at %s", c).isCloseTo(unit.gini(), within(1e-6));
      assertThat(s.boxMass().orElseThrow())
          .as("box mass at %s", c)
          .isCloseTo(unit.boxMass().orElseThrow(), within(1e-6));
      assertThat(s.peakX()).isEqualTo(unit.peakX());
      assertThat(s.peakY()).isEqualTo(unit.peakY());
      assertThat(s.pointingHit()).isEqualTo(unit.pointingHit());
    }
  }

  @Test
  void anAllZeroMapIsAFlatHeatmapWithoutAPointingHit() {
    Optional<HeatmapSummary> summary =
        HeatmapSummary.of(new float[INPUT * INPUT], INPUT, GRID, WIDTH, HEIGHT, BOX);
    assertThat(summary).isPresent();
    HeatmapSummary s = summary.get();
    assertThat(s.heatmap().min()).isZero();
    assertThat(s.heatmap().max()).isZero();
    assertThat(s.heatmap().bytes()).hasSize(GRID * GRID).containsOnly((byte) 0);
    assertThat(s.mean()).isZero();
    assertThat(s.entropy()).isEqualTo(1.0);
    assertThat(s.gini()).isZero();
    // The box covers 32/64 of the width and 24/48 of the height: a flat map's mass inside it.
    assertThat(s.boxMass().orElseThrow()).isCloseTo(0.25, within(1e-12));
    assertThat(s.pointingHit()).isEmpty();
    assertThat(s.peakX()).isFinite();
    assertThat(s.peakY()).isFinite();
  }

  @Test
  void aMapWithANaNIsNoHeatmap() {
    float[] m = map(1);
    m[5] = Float.NaN;
    assertThat(HeatmapSummary.of(m, INPUT, GRID, WIDTH, HEIGHT, BOX)).isEmpty();
  }
}
