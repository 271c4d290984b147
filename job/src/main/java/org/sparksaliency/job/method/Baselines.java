package org.sparksaliency.job.method;

import java.util.Random;

/** Integrated Gradients baselines, in the normalised input space. */
final class Baselines {
  /**
   * The blur baseline's sigma is the image side divided by this: strong enough to erase object
   * shape.
   */
  static final int BLUR_DIVISOR = 16;

  private Baselines() {}

  static float[] of(IgBaseline kind, ExplainBatch batch, int image) {
    float[] x = batch.image(image);
    int size = batch.imageSize();
    switch (kind) {
      case BLACK:
        return new float[x.length];
      case BLUR:
        return GaussianBlur.blur(x, 3, size, size, Math.max(1.0, (double) size / BLUR_DIVISOR));
      case UNIFORM:
        return uniform(batch, image);
      default:
        throw new IllegalArgumentException("Cannot build baseline " + kind);
    }
  }

  /** Each value uniform in the [0, 1] pixel range, then normalised like the images. */
  private static float[] uniform(ExplainBatch batch, int image) {
    Random r =
        new Random(
            Seeds.of(batch.options().get(Seeds.SEED), "ig-uniform", batch.imageId(image), 0));
    int plane = batch.plane();
    float[] mean = batch.mean();
    float[] std = batch.std();
    float[] b = new float[3 * plane];
    for (int c = 0; c < 3; c++) {
      for (int p = 0; p < plane; p++) {
        b[c * plane + p] = (r.nextFloat() - mean[c]) / std[c];
      }
    }
    return b;
  }
}
