package org.sparksaliency.udf;

/** Encodes raw heatmap values into the stored uint8 form and back. */
public final class HeatmapCodec {
  private HeatmapCodec() {}

  /**
   * Quantises raw values to bytes over their own [min, max] range, rounding to nearest.
   *
   * @throws IllegalArgumentException if any value is NaN or infinite
   */
  public static EncodedHeatmap encode(float[] values, int height, int width) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException(
            "Cannot encode heatmap: it holds a non-finite value (" + v + ")");
      }
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (values.length == 0) {
      throw new IllegalArgumentException("Cannot encode heatmap: it has no cells");
    }
    byte[] bytes = new byte[values.length];
    // In double: the float difference of two finite values overflows when the range exceeds
    // Float.MAX_VALUE.
    double range = (double) max - min;
    if (range > 0) {
      for (int i = 0; i < values.length; i++) {
        bytes[i] = (byte) Math.round(((double) values[i] - min) / range * 255.0);
      }
    }
    return new EncodedHeatmap(height, width, min, max, bytes);
  }
}
