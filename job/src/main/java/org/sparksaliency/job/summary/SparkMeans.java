package org.sparksaliency.job.summary;

import java.io.Serializable;

/**
 * Spark's {@code avg} and {@code stddev_samp} as partial aggregates, with Spark's own arithmetic
 * (Average: a sum and a count; CentralMomentAgg: n, mean and M2, updated and merged as Spark does),
 * so that values aggregated outside Spark, merged in the same order, are bit-identical to Spark's.
 */
final class SparkMeans {
  private SparkMeans() {}

  /** {@code avg(x)}: nulls skipped, null without values. */
  static final class Average implements Serializable {
    private static final long serialVersionUID = 1L;
    private double sum;
    private long count;

    void add(Double x) {
      if (x != null) {
        sum += x;
        count++;
      }
    }

    void merge(Average other) {
      sum += other.sum;
      count += other.count;
    }

    Double value() {
      return count == 0 ? null : sum / count;
    }
  }

  /** {@code stddev_samp(x)}: nulls skipped; null for fewer than two values. */
  static final class StddevSamp implements Serializable {
    private static final long serialVersionUID = 1L;
    private double n;
    private double avg;
    private double m2;

    void add(Double x) {
      if (x == null) {
        return;
      }
      double newN = n + 1.0;
      double delta = x - avg;
      double deltaN = delta / newN;
      m2 = m2 + delta * (delta - deltaN);
      avg = avg + deltaN;
      n = newN;
    }

    void merge(StddevSamp other) {
      double newN = n + other.n;
      double delta = other.avg - avg;
      double deltaN = newN == 0.0 ? 0.0 : delta / newN;
      avg = avg + deltaN * other.n;
      m2 = m2 + other.m2 + delta * deltaN * n * other.n;
      n = newN;
    }

    Double value() {
      return n <= 1.0 ? null : Math.sqrt(m2 / (n - 1.0));
    }
  }
}
