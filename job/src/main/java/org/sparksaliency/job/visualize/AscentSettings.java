package org.sparksaliency.job.visualize;

import java.io.Serializable;

/**
 * How a class image is optimised: regularised gradient ascent on the normalised input (Simonyan et
 * al. 2014; jitter, L2 decay and periodic blur as in Yosinski et al. 2015).
 *
 * @param imageSize the image is 3 × imageSize × imageSize
 * @param mean per-channel RGB mean of the model's normalisation (pixels in [0, 1])
 * @param std per-channel RGB standard deviation of the model's normalisation
 * @param steps gradient steps
 * @param learningRate step length, in normalised input units per pixel on average: each step adds
 *     {@code learningRate × g / mean|g|}
 * @param l2Decay after each step the image is multiplied by {@code 1 - l2Decay} (pulls towards the
 *     mean image)
 * @param jitter each step's gradient is taken at the image shifted (circularly) by up to this many
 *     pixels
 * @param blurEvery every this many steps the image is blurred (0: never)
 * @param blurSigma standard deviation of the Gaussian blur, in pixels
 * @param seed seeds the initial noise and the jitter; each class adds its index
 */
public record AscentSettings(
    int imageSize,
    float[] mean,
    float[] std,
    int steps,
    float learningRate,
    float l2Decay,
    int jitter,
    int blurEvery,
    float blurSigma,
    long seed)
    implements Serializable {

  public AscentSettings {
    mean = mean.clone();
    std = std.clone();
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }
}
