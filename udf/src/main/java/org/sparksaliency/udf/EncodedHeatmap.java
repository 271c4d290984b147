package org.sparksaliency.udf;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * A heatmap as stored in the {@code heatmaps} table: {@code height × width} cells, row-major, each
 * an unsigned byte {@code v}, with {@code raw = min + v / 255 * (max - min)}.
 *
 * <p>When {@code min == max} every byte is 0 and every raw value equals {@code min}.
 */
public final class EncodedHeatmap implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int height;
  private final int width;
  private final float min;
  private final float max;
  private final byte[] bytes;

  /**
   * @param height rows of the grid
   * @param width columns of the grid
   * @param min raw value of byte 0
   * @param max raw value of byte 255
   * @param bytes {@code height * width} unsigned bytes, row-major
   */
  public EncodedHeatmap(int height, int width, float min, float max, byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes is null");
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          String.format("Cannot create heatmap: size must be positive (%d x %d)", height, width));
    }
    if ((long) height * width != bytes.length) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot create heatmap: %d bytes do not fill %d x %d cells",
              bytes.length, height, width));
    }
    if (!Float.isFinite(min) || !Float.isFinite(max) || max < min) {
      throw new IllegalArgumentException(
          String.format("Cannot create heatmap: bad value range [%s, %s]", min, max));
    }
    this.height = height;
    this.width = width;
    this.min = min;
    this.max = max;
    this.bytes = bytes;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public float min() {
    return min;
  }

  public float max() {
    return max;
  }

  /** The stored bytes; callers must not modify them. */
  public byte[] bytes() {
    return bytes;
  }

  /**
   * Raw values, row-major. Computed in double precision: in float, {@code max - min} overflows to
   * infinity for a range wider than {@link Float#MAX_VALUE} (byte 0 then decodes to 0 × ∞ = NaN),
   * and a range below about 255 × {@link Float#MIN_VALUE} gives a step of 0, so every cell would
   * decode to {@code min}.
   */
  public float[] decode() {
    float[] out = new float[bytes.length];
    double range = (double) max - min;
    for (int i = 0; i < bytes.length; i++) {
      out[i] = (float) (min + (bytes[i] & 0xFF) / 255.0 * range);
    }
    return out;
  }

  /** Values min-max normalised to [0, 1] (all 0 for a constant map). */
  public float[] normalised() {
    float[] out = new float[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = (bytes[i] & 0xFF) / 255f;
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof EncodedHeatmap)) {
      return false;
    }
    EncodedHeatmap that = (EncodedHeatmap) o;
    return height == that.height
        && width == that.width
        && Float.compare(min, that.min) == 0
        && Float.compare(max, that.max) == 0
        && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(height, width, min, max, Arrays.hashCode(bytes));
  }

  @Override
  public String toString() {
    return String.format("EncodedHeatmap[%dx%d, min=%s, max=%s]", height, width, min, max);
  }
}
