package org.sparksaliency.job.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.image.InputRegion;
import org.sparksaliency.job.image.Resize;
import org.sparksaliency.udf.AreaResampler;
import org.sparksaliency.udf.HeatmapCodec;
import org.sparksaliency.udf.SaliencyStatistics;

/**
 * With {@code --resize crop} the stored grid still spans the whole original image: the map lands on
 * the crop's region, the rest is 0, and the peak, box mass and pointing are in original pixels.
 */
class CropPlacementTest {
  private static final int INPUT = 16;
  private static final int GRID = 24;
  private static final int WIDTH = 400;
  private static final int HEIGHT = 300;

  /** 400 x 300 with shorter side 18: resized 24 x 18, the 16 x 16 input at (4, 1). */
  private static final InputRegion REGION = Resize.crop(18).region(INPUT, WIDTH, HEIGHT);

  private static float[] delta(int x, int y) {
    float[] m = new float[INPUT * INPUT];
    m[y * INPUT + x] = 1;
    return m;
  }

  @Test
  void theRegionIsWhereTorchvisionCrops() {
    assertThat(REGION).isEqualTo(new InputRegion(24, 18, 4, 1, 16));
  }

  @Test
  void aPeakInTheInputIsAtItsPlaceInTheOriginalImage() {
    // Input pixel (12, 3) is resized pixel (16, 4): original x in [16/24, 17/24] x 400 =
    // [266.7, 283.3], y in [4/18, 5/18] x 300 = [66.7, 83.3]; the grid cell holding its largest
    // share has its centre within a cell (400/24 = 16.7 px wide, 12.5 px high) of that.
    HeatmapSummary s =
        HeatmapSummary.of(delta(12, 3), REGION, INPUT, GRID, WIDTH, HEIGHT, Optional.empty())
            .orElseThrow();
    assertThat(s.peakX()).isBetween(266.7 - 16.7, 283.3 + 16.7);
    assertThat(s.peakY()).isBetween(66.7 - 12.5, 83.3 + 12.5);
  }

  @Test
  void cellsOutsideTheCropAreZeroAndMassIsKept() {
    float[] ones = new float[INPUT * INPUT];
    java.util.Arrays.fill(ones, 1f);
    float[] grid = MapPlacement.place(ones, INPUT, REGION, GRID);
    // The region spans x in [4/24, 20/24] and y in [1/18, 17/18] of the image: grid columns 0..3
    // and
    // 20..23 lie wholly outside it, and so do no rows (row 0 is [0, 1/24], cut by y0 = 1/18).
    for (int y = 0; y < GRID; y++) {
      for (int x : new int[] {0, 1, 2, 3, 20, 21, 22, 23}) {
        assertThat(grid[y * GRID + x]).as("cell (%d, %d)", x, y).isZero();
      }
    }
    double gridMass = 0;
    for (float v : grid) {
      gridMass += v / (double) (GRID * GRID);
    }
    double regionArea = (REGION.x1() - REGION.x0()) * (REGION.y1() - REGION.y0());
    assertThat(gridMass).isCloseTo(regionArea, within(1e-6));
  }

  @Test
  void boxMassAndPointingUseOriginalPixels() {
    // A box around input pixel (12, 3) in original pixels holds most of the mass and the peak.
    Optional<Box> around = Optional.of(new Box(250, 50, 300, 100));
    HeatmapSummary s =
        HeatmapSummary.of(delta(12, 3), REGION, INPUT, GRID, WIDTH, HEIGHT, around).orElseThrow();
    assertThat(s.boxMass()).hasValueSatisfying(m -> assertThat(m).isCloseTo(1.0, within(1e-6)));
    assertThat(s.pointingHit()).contains(true);
    // A box on the left border, which the model never saw, holds nothing.
    Optional<Box> border = Optional.of(new Box(0, 0, 60, 300));
    HeatmapSummary b =
        HeatmapSummary.of(delta(12, 3), REGION, INPUT, GRID, WIDTH, HEIGHT, border).orElseThrow();
    assertThat(b.boxMass()).contains(0.0);
    assertThat(b.pointingHit()).contains(false);
  }

  @Test
  void squashStoresExactlyWhatItStoredBefore() {
    float[] map = new float[INPUT * INPUT];
    for (int i = 0; i < map.length; i++) {
      map[i] = (float) Math.sin(0.3 * i);
    }
    float[] before = AreaResampler.resample(map, INPUT, INPUT, GRID, GRID);
    InputRegion whole = Resize.SQUASH.region(INPUT, WIDTH, HEIGHT);
    assertThat(MapPlacement.place(map, INPUT, whole, GRID)).containsExactly(before);
    HeatmapSummary s =
        HeatmapSummary.of(map, whole, INPUT, GRID, WIDTH, HEIGHT, Optional.empty()).orElseThrow();
    assertThat(s.heatmap().bytes()).isEqualTo(HeatmapCodec.encode(before, GRID, GRID).bytes());
    int peak = SaliencyStatistics.peakIndex(before);
    assertThat(s.peakX()).isEqualTo((peak % GRID + 0.5) / GRID * WIDTH);
  }
}
