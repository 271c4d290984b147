package org.sparksaliency.job.summary;

import java.util.Arrays;
import org.sparksaliency.job.image.InputRegion;
import org.sparksaliency.udf.AreaResampler;

/**
 * Puts a map at model-input resolution onto the stored grid, which always spans the whole original
 * image (after EXIF orientation), whatever part of it the model saw.
 *
 * <p>With {@code --resize squash} the input is the whole image and this is plain area resampling.
 * With {@code crop} the map covers only the centre region; the cells outside it, where the model
 * saw nothing, hold 0 — the exact attribution of pixels that cannot change the output — and a cell
 * cut by the region's edge holds the area-weighted mean of the map part inside it and 0 outside. So
 * every consumer that maps grid cells to image fractions (peak, box mass, pointing, overlays, the
 * SQL functions, class means) keeps working unchanged in both modes.
 */
final class MapPlacement {
  private MapPlacement() {}

  /**
   * @param map row-major inputSize × inputSize values
   * @param region where the input lies in the image
   * @param gridSize side of the stored grid
   * @return gridSize × gridSize values, row-major
   */
  static float[] place(float[] map, int inputSize, InputRegion region, int gridSize) {
    if (region.wholeImage()) {
      return AreaResampler.resample(map, inputSize, inputSize, gridSize, gridSize);
    }
    double[][] wx = weights(region.x0(), region.x1(), inputSize, gridSize);
    double[][] wy = weights(region.y0(), region.y1(), inputSize, gridSize);
    float[] grid = new float[gridSize * gridSize];
    double[] row = new double[gridSize];
    for (int my = 0; my < inputSize; my++) {
      Arrays.fill(row, 0);
      for (int mx = 0; mx < inputSize; mx++) {
        double v = map[my * inputSize + mx];
        for (int gx = 0; gx < gridSize; gx++) {
          row[gx] += wx[mx][gx] * v;
        }
      }
      for (int gy = 0; gy < gridSize; gy++) {
        double w = wy[my][gy];
        if (w != 0) {
          for (int gx = 0; gx < gridSize; gx++) {
            grid[gy * gridSize + gx] += (float) (w * row[gx]);
          }
        }
      }
    }
    return grid;
  }

  /**
   * weights[m][g]: the share of grid cell g's extent that map pixel m covers, for a map of {@code
   * n} pixels spanning [from, to] of the axis and a grid of {@code cells} cells spanning [0, 1].
   */
  private static double[][] weights(double from, double to, int n, int cells) {
    double[][] w = new double[n][cells];
    double pixel = (to - from) / n;
    for (int m = 0; m < n; m++) {
      double a = from + m * pixel;
      double b = a + pixel;
      int first = Math.max(0, (int) Math.floor(a * cells));
      int last = Math.min(cells - 1, (int) Math.ceil(b * cells) - 1);
      for (int g = first; g <= last; g++) {
        double overlap = Math.min(b, (g + 1.0) / cells) - Math.max(a, (double) g / cells);
        if (overlap > 0) {
          w[m][g] = overlap * cells;
        }
      }
    }
    return w;
  }
}
