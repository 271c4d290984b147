package org.sparksaliency.udf;

import java.io.Serializable;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.expressions.Aggregator;

/**
 * Aggregate: the mean of min-max normalised heatmaps, given their stored bytes (which are already
 * the min-max normalised map times 255), re-encoded in the same form. All maps in a group must have
 * the same number of cells. Null inputs are skipped; a group without maps gives null.
 */
public final class HeatmapAverage extends Aggregator<byte[], HeatmapAverage.Sums, MeanHeatmap> {
  private static final long serialVersionUID = 1L;

  /**
   * Running per-cell sums of normalised values. A Java bean ({@code getSum}/{@code setSum}, {@code
   * getCount}/ {@code setCount}) so that Spark encodes it with its bean encoder: the Kryo and
   * Java-serialisation encoders cannot be shipped to executors by Spark 4.0.0 and 4.0.1
   * (SPARK-52819).
   */
  public static final class Sums implements Serializable {
    private static final long serialVersionUID = 1L;
    double[] sum;
    long count;

    /** Per-cell sums (null before the first map); callers must not modify them. */
    public double[] sums() {
      return sum;
    }

    /** Number of maps added. */
    public long count() {
      return count;
    }

    /** Bean getter of {@link #sums()}, for Spark's bean encoder. */
    public double[] getSum() {
      return sum;
    }

    /** Bean setter, for Spark's bean encoder. */
    public void setSum(double[] sum) {
      this.sum = sum;
    }

    /** Bean getter of {@link #count()}, for Spark's bean encoder. */
    public long getCount() {
      return count;
    }

    /** Bean setter, for Spark's bean encoder. */
    public void setCount(long count) {
      this.count = count;
    }

    /**
     * Sums as {@link #sums()} and {@link #count()} gave them, e.g. after a trip through another
     * engine.
     */
    public static Sums of(double[] sum, long count) {
      Sums s = new Sums();
      s.sum = sum;
      s.count = count;
      return s;
    }
  }

  @Override
  public Sums zero() {
    return new Sums();
  }

  @Override
  public Sums reduce(Sums acc, byte[] heatmap) {
    if (heatmap == null) {
      return acc;
    }
    if (acc.sum == null) {
      acc.sum = new double[heatmap.length];
    }
    requireSameSize(acc.sum.length, heatmap.length);
    for (int i = 0; i < heatmap.length; i++) {
      acc.sum[i] += (heatmap[i] & 0xFF) / 255.0;
    }
    acc.count++;
    return acc;
  }

  @Override
  public Sums merge(Sums a, Sums b) {
    if (b.sum == null) {
      return a;
    }
    if (a.sum == null) {
      return b;
    }
    requireSameSize(a.sum.length, b.sum.length);
    for (int i = 0; i < a.sum.length; i++) {
      a.sum[i] += b.sum[i];
    }
    a.count += b.count;
    return a;
  }

  @Override
  public MeanHeatmap finish(Sums acc) {
    if (acc.sum == null || acc.count == 0) {
      return null;
    }
    float[] mean = new float[acc.sum.length];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = (float) (acc.sum[i] / acc.count);
    }
    EncodedHeatmap e = HeatmapCodec.encode(mean, 1, mean.length);
    return new MeanHeatmap(e.bytes(), e.min(), e.max(), acc.count);
  }

  @Override
  public Encoder<Sums> bufferEncoder() {
    return Encoders.bean(Sums.class);
  }

  @Override
  public Encoder<MeanHeatmap> outputEncoder() {
    return Encoders.bean(MeanHeatmap.class);
  }

  private static void requireSameSize(int a, int b) {
    if (a != b) {
      throw new IllegalArgumentException(
          String.format("Cannot average heatmaps of different sizes (%d and %d cells)", a, b));
    }
  }
}
