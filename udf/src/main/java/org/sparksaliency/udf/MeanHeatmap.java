package org.sparksaliency.udf;

import java.io.Serializable;

/**
 * Result of {@link HeatmapAverage}: a struct {@code <heatmap binary, min float, max float, count
 * bigint>} with the same byte encoding as a stored heatmap. A Java bean so Spark can encode it.
 */
public class MeanHeatmap implements Serializable {
  private static final long serialVersionUID = 1L;
  private byte[] heatmap;
  private float min;
  private float max;
  private long count;

  public MeanHeatmap() {}

  public MeanHeatmap(byte[] heatmap, float min, float max, long count) {
    this.heatmap = heatmap;
    this.min = min;
    this.max = max;
    this.count = count;
  }

  public byte[] getHeatmap() {
    return heatmap;
  }

  public void setHeatmap(byte[] heatmap) {
    this.heatmap = heatmap;
  }

  public float getMin() {
    return min;
  }

  public void setMin(float min) {
    this.min = min;
  }

  public float getMax() {
    return max;
  }

  public void setMax(float max) {
    this.max = max;
  }

  public long getCount() {
    return count;
  }

  public void setCount(long count) {
    this.count = count;
  }
}
