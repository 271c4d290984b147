package org.sparksaliency.udf;

/**
 * Summary statistics of one heatmap, computed on the magnitude |v| of its raw values so that signed
 * maps (input × gradient, Integrated Gradients) and unsigned ones are treated alike.
 *
 * <p>Range: every sum runs in double precision over float values, so no statistic under- or
 * overflows for any finite map (|v| from {@link Float#MIN_VALUE} to {@link Float#MAX_VALUE}), and
 * all but {@link #mean} are scale-free: the statistics of c · map equal those of the map for any c
 * &gt; 0, 1e-12 included.
 *
 * <p>A map with no mass (every value 0, as vargrad without noise) has no distribution of |v| to
 * describe; it counts as flat, the one map whose statistics say "no cell stands out": entropy 1,
 * Gini 0, the box's share of the area as its mass in a box, and no peak ({@link #isFlat}).
 */
public final class SaliencyStatistics {
  private SaliencyStatistics() {}

  /** Mean of the raw (signed) values. */
  public static double mean(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /**
   * Shannon entropy of |v| normalised to sum 1, divided by log(cells): 1 for a flat map, 0 for a
   * map with all mass in one cell. A map with no mass counts as flat.
   */
  public static double normalisedEntropy(float[] values) {
    if (values.length < 2) {
      return 0;
    }
    double total = l1(values);
    if (total == 0) {
      return 1;
    }
    double h = 0;
    for (float v : values) {
      double p = Math.abs(v) / total;
      if (p > 0) {
        h -= p * Math.log(p);
      }
    }
    return h / Math.log(values.length);
  }

  /**
   * Gini sparseness of |v| (Hurley and Rickard 2009): 0 for a flat map, approaching 1 when one cell
   * holds all mass. A map with no mass counts as flat.
   */
  public static double gini(float[] values) {
    int n = values.length;
    double total = l1(values);
    if (total == 0 || n < 2) {
      return 0;
    }
    double[] sorted = new double[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = Math.abs(values[i]);
    }
    java.util.Arrays.sort(sorted);
    double g = 0;
    for (int k = 0; k < n; k++) {
      g += sorted[k] / total * ((n - (k + 1) + 0.5) / n);
    }
    return 1 - 2 * g;
  }

  /**
   * Whether every cell has the same |v| (an all-zero map included): no cell stands out, so the map
   * has no peak to point with, whatever {@link #peakIndex} returns by its tie rule.
   */
  public static boolean isFlat(float[] values) {
    for (float v : values) {
      if (Math.abs(v) != Math.abs(values[0])) {
        return false;
      }
    }
    return true;
  }

  /** Index of the cell with the largest |v| (first one on ties). */
  public static int peakIndex(float[] values) {
    int best = 0;
    float bestValue = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < values.length; i++) {
      float a = Math.abs(values[i]);
      if (a > bestValue) {
        bestValue = a;
        best = i;
      }
    }
    return best;
  }

  /**
   * Share of the |v| mass inside a box given in normalised [0, 1] image coordinates (x0, y0
   * top-left, x1, y1 bottom-right); cells cut by the box edge count by the covered fraction of
   * their area. A map with no mass counts as flat: it gives the share of the grid's area that the
   * box covers.
   */
  public static double massInBox(
      float[] values, int height, int width, double x0, double y0, double x1, double y1) {
    double total = l1(values);
    boolean massless = total == 0;
    double inside = 0;
    for (int y = 0; y < height; y++) {
      double fy = overlap(y, y + 1, y0 * height, y1 * height);
      if (fy <= 0) {
        continue;
      }
      for (int x = 0; x < width; x++) {
        double fx = overlap(x, x + 1, x0 * width, x1 * width);
        if (fx > 0) {
          inside += fx * fy * (massless ? 1 : Math.abs(values[y * width + x]));
        }
      }
    }
    return inside / (massless ? (double) height * width : total);
  }

  private static double overlap(double a0, double a1, double b0, double b1) {
    return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
  }

  private static double l1(float[] values) {
    double total = 0;
    for (float v : values) {
      total += Math.abs(v);
    }
    return total;
  }
}
