package org.sparksaliency.udf;

import java.io.Serializable;

/**
 * Running mean of heatmaps of one grid size, as {@link HeatmapAverage} computes it (the mean of the
 * min-max normalised maps, re-encoded), keeping the grid size so the mean is a heatmap again. Backs
 * {@code heatmap_avg} in Spark and in Hive. A Java bean as well (height, width, sums, count), so
 * that Spark encodes it as the aggregate's buffer with its bean encoder: the Kryo and
 * Java-serialisation encoders cannot be shipped to executors by Spark 4.0.0 and 4.0.1
 * (SPARK-52819).
 */
public final class HeatmapAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final HeatmapAverage AVERAGE = new HeatmapAverage();

  private int height;
  private int width;
  private HeatmapAverage.Sums sums = AVERAGE.zero();

  /** Adds one map; all maps must have the grid size of the first. */
  public void add(EncodedHeatmap heatmap) {
    requireSize(heatmap.height(), heatmap.width());
    sums = AVERAGE.reduce(sums, heatmap.bytes());
  }

  /** Adds everything {@code other} holds. */
  public void merge(HeatmapAccumulator other) {
    if (other.count() == 0) {
      return;
    }
    requireSize(other.height, other.width);
    sums = AVERAGE.merge(sums, other.sums);
  }

  /** The mean map, or null when nothing was added. */
  public EncodedHeatmap mean() {
    MeanHeatmap mean = AVERAGE.finish(sums);
    return mean == null
        ? null
        : new EncodedHeatmap(height, width, mean.getMin(), mean.getMax(), mean.getHeatmap());
  }

  public long count() {
    return sums.count();
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** Per-cell sums of normalised values (null when empty); callers must not modify them. */
  public double[] sums() {
    return sums.sums();
  }

  /** Bean getter of {@link #height()}, for Spark's bean encoder. */
  public int getHeight() {
    return height;
  }

  /** Bean setter, for Spark's bean encoder. */
  public void setHeight(int height) {
    this.height = height;
  }

  /** Bean getter of {@link #width()}, for Spark's bean encoder. */
  public int getWidth() {
    return width;
  }

  /** Bean setter, for Spark's bean encoder. */
  public void setWidth(int width) {
    this.width = width;
  }

  /** Bean getter of {@link #sums()}, for Spark's bean encoder. */
  public double[] getSums() {
    return sums.sums();
  }

  /** Bean setter, for Spark's bean encoder. */
  public void setSums(double[] sums) {
    this.sums = HeatmapAverage.Sums.of(sums, this.sums.count());
  }

  /** Bean getter of {@link #count()}, for Spark's bean encoder. */
  public long getCount() {
    return sums.count();
  }

  /** Bean setter, for Spark's bean encoder. */
  public void setCount(long count) {
    this.sums = HeatmapAverage.Sums.of(this.sums.sums(), count);
  }

  /**
   * Rebuilds an accumulator from {@link #height()}, {@link #width()}, {@link #sums()} and {@link
   * #count()}.
   */
  public static HeatmapAccumulator of(int height, int width, double[] sums, long count) {
    HeatmapAccumulator acc = new HeatmapAccumulator();
    if (count > 0) {
      if (sums == null || (long) height * width != sums.length) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot restore heatmap mean: %s sums do not fill %d x %d cells",
                sums == null ? "no" : Integer.toString(sums.length), height, width));
      }
      acc.height = height;
      acc.width = width;
      acc.sums = HeatmapAverage.Sums.of(sums, count);
    }
    return acc;
  }

  private void requireSize(int h, int w) {
    if (count() == 0) {
      height = h;
      width = w;
    } else if (h != height || w != width) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot average heatmaps of different sizes (%d x %d and %d x %d)",
              height, width, h, w));
    }
  }
}
