package org.sparksaliency.job.image;

/**
 * The one definition of how an 8-bit value v of channel c becomes a model input: v · scale[c] +
 * offset[c], with scale = 1 / (255 std) and offset = −mean / std, in float32.
 */
final class PixelScale {
  final float[] scale = new float[3];
  final float[] offset = new float[3];

  PixelScale(float[] mean, float[] std) {
    for (int c = 0; c < 3; c++) {
      scale[c] = 1f / (255f * std[c]);
      offset[c] = -mean[c] / std[c];
    }
  }
}
