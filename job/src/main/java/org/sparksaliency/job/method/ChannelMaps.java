package org.sparksaliency.job.method;

/** Reductions of per-channel CHW values (3 channels) to one value per pixel. */
final class ChannelMaps {
  private ChannelMaps() {}

  /** max over channels of |v|, reading 3 × plane values of {@code v} from {@code offset}. */
  static float[] maxAbs(float[] v, int offset, int plane) {
    float[] out = new float[plane];
    for (int c = 0; c < 3; c++) {
      int base = offset + c * plane;
      for (int p = 0; p < plane; p++) {
        out[p] = Math.max(out[p], Math.abs(v[base + p]));
      }
    }
    return out;
  }

  /** max over channels of |v| for double values, brought into float range by {@link FloatRange}. */
  static float[] maxAbs(double[] v, int plane) {
    double[] out = new double[plane];
    for (int c = 0; c < 3; c++) {
      for (int p = 0; p < plane; p++) {
        out[p] = Math.max(out[p], Math.abs(v[c * plane + p]));
      }
    }
    return FloatRange.fit(out);
  }

  /** sum over channels, keeping the sign, brought into float range by {@link FloatRange}. */
  static float[] sum(double[] v, int plane) {
    double[] out = new double[plane];
    for (int p = 0; p < plane; p++) {
      out[p] = v[p] + v[plane + p] + v[2 * plane + p];
    }
    return FloatRange.fit(out);
  }
}
