package org.sparksaliency.job.method;

/**
 * Class activation maps from the {@link Probes#FEATURE_GRADIENT} outputs: channel weights from the
 * activations A and gradients dY/dA of one sample, map = ReLU(sum_k w_k A_k) upsampled bilinearly
 * (half-pixel centres) to the input size.
 */
final class CamMaps {

  /** Channel weights of one sample. */
  @FunctionalInterface
  interface Weights {
    /**
     * @param a activations, read from {@code offset}, channel k at {@code offset + k * cells}
     * @param g d(target logit)/dA, same layout
     */
    double[] of(float[] a, float[] g, int offset, int channels, int cells);
  }

  private CamMaps() {}

  static OneSamplePlan.Reduction reduction(int imageSize, Weights weights) {
    return (image, out, row) -> {
      long[] shape = out.valueShape(0);
      int channels = (int) shape[0];
      int h = (int) shape[1];
      int w = (int) shape[2];
      int cells = h * w;
      int offset = row * channels * cells;
      float[] a = out.values(0);
      float[] g = out.values(1);
      double[] wk = weights.of(a, g, offset, channels, cells);
      double[] cam = new double[cells];
      for (int p = 0; p < cells; p++) {
        double s = 0;
        for (int k = 0; k < channels; k++) {
          s += wk[k] * a[offset + k * cells + p];
        }
        cam[p] = Math.max(0, s);
      }
      return BilinearUpsampler.resize(FloatRange.fit(cam), h, w, imageSize, imageSize);
    };
  }
}
