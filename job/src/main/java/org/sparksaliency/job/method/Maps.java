package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;

/** Copies [n, ...] arrays out of native memory as one float[] per sample. */
final class Maps {
  private Maps() {}

  static float[][] rows(NDArray maps, int n) {
    float[] all = maps.toFloatArray();
    int per = all.length / n;
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      out[i] = java.util.Arrays.copyOfRange(all, i * per, (i + 1) * per);
    }
    return out;
  }
}
