package org.sparksaliency.job.method;

import java.util.Arrays;
import java.util.Comparator;

/** Spearman's rank correlation, ties given their average rank (maps hold many equal zeros). */
final class RankCorrelation {
  private RankCorrelation() {}

  /** Pearson correlation of the ranks of {@code a} and {@code b}; NaN when either is constant. */
  static double spearman(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          String.format("Cannot correlate maps of different sizes (%d and %d values)", a.length, b.length));
    }
    return pearson(ranks(a), ranks(b));
  }

  static double[] ranks(float[] v) {
    Integer[] order = new Integer[v.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
    double[] rank = new double[v.length];
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      double average = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        rank[order[k]] = average;
      }
      i = j + 1;
    }
    return rank;
  }

  private static double pearson(double[] x, double[] y) {
    double mx = Arrays.stream(x).average().orElse(Double.NaN);
    double my = Arrays.stream(y).average().orElse(Double.NaN);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }
}
