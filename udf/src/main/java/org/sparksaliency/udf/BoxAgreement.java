package org.sparksaliency.udf;

import java.util.Arrays;

/**
 * Intersection over union of a box with the mask of a heatmap's strongest cells, both as areas of
 * the unit square (cells cut by the box edge count by the covered fraction of their area, as in
 * {@link SaliencyStatistics#massInBox}).
 */
public final class BoxAgreement {
  private BoxAgreement() {}

  /**
   * The mask holds the cells whose magnitude |v| is strictly greater than the q-quantile of all
   * magnitudes, taken as the nearest-rank value {@code sorted[max(0, ceil(q * n) - 1)]}; so with
   * {@code q = 0.9} at most 10% of the cells, fewer when values tie at the threshold, and none for
   * {@code q = 1}. The box is given in normalised [0, 1] image coordinates (x0, y0 top-left, x1, y1
   * bottom-right); parts outside the image count as nothing. An empty mask and an empty box give 0.
   */
  public static double iou(
      float[] values, int height, int width, double q, double x0, double y0, double x1, double y1) {
    double threshold = quantile(values, q);
    double cellArea = 1.0 / ((double) height * width);
    double maskArea = 0;
    double inter = 0;
    for (int y = 0; y < height; y++) {
      double fy = overlap(y, y + 1, y0 * height, y1 * height);
      for (int x = 0; x < width; x++) {
        if (Math.abs(values[y * width + x]) > threshold) {
          maskArea += cellArea;
          inter += fy * overlap(x, x + 1, x0 * width, x1 * width) * cellArea;
        }
      }
    }
    double boxArea = overlap(0, 1, x0, x1) * overlap(0, 1, y0, y1);
    double union = maskArea + boxArea - inter;
    return union > 0 ? inter / union : 0;
  }

  /** Nearest-rank q-quantile of the magnitudes. */
  static double quantile(float[] values, double q) {
    double[] sorted = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      sorted[i] = Math.abs(values[i]);
    }
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
  }

  private static double overlap(double a0, double a1, double b0, double b1) {
    return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
  }
}
