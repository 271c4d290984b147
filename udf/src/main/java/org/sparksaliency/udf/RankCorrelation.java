package org.sparksaliency.udf;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Spearman rank correlation of two heatmaps' magnitudes |v|: the Pearson correlation of their
 * ranks, tied values sharing the mean of the ranks they span (so the many exact zeros of a ReLU map
 * are one tie).
 */
public final class RankCorrelation {
  private RankCorrelation() {}

  /** In [-1, 1]; NaN when either map is constant (no ranking to correlate). */
  public static double spearman(float[] a, float[] b) {
    requireSameLength(a, b);
    return pearson(ranks(a, true), ranks(b, true));
  }

  /**
   * Spearman rank correlation of the signed values (for signed maps such as Integrated Gradients or
   * occlusion, where a negative cell is not a salient one); NaN when either map is constant.
   */
  public static double spearmanSigned(float[] a, float[] b) {
    requireSameLength(a, b);
    return pearson(ranks(a, false), ranks(b, false));
  }

  private static void requireSameLength(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          String.format("Cannot correlate heatmaps: %d and %d cells", a.length, b.length));
    }
  }

  /** 1-based ranks of |v| (or of v) with ties averaged. */
  static double[] ranks(float[] values, boolean magnitudes) {
    int n = values.length;
    float[] key = new float[n];
    for (int i = 0; i < n; i++) {
      key[i] = magnitudes ? Math.abs(values[i]) : values[i];
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> key[i]));
    double[] ranks = new double[n];
    int start = 0;
    while (start < n) {
      int end = start;
      float v = key[order[start]];
      while (end + 1 < n && key[order[end + 1]] == v) {
        end++;
      }
      double rank = (start + end) / 2.0 + 1;
      for (int k = start; k <= end; k++) {
        ranks[order[k]] = rank;
      }
      start = end + 1;
    }
    return ranks;
  }

  private static double pearson(double[] x, double[] y) {
    double mx = Arrays.stream(x).average().orElse(0);
    double my = Arrays.stream(y).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx == 0 || syy == 0) {
      return Double.NaN;
    }
    return sxy / Math.sqrt(sxx * syy);
  }
}
