package org.sparksaliency.job.method;

import java.io.Serializable;
import java.util.Objects;

/**
 * Settings of the methods that sample several inputs per image, validated on the driver (see JobOptions).
 *
 * @param igSteps Integrated Gradients midpoint-rule points along the path
 * @param igBaseline the path's start
 * @param smoothGradSamples noisy copies per image for smoothgrad, smoothgrad_sq and vargrad
 * @param smoothGradSigma noise standard deviation as a share of the [0, 1] pixel range
 * @param seed seeds every random draw together with the image_id, so reruns repeat
 * @param occlusionWindow side of the occluding square in model-input pixels; 0: 1/8 of the input side
 * @param occlusionStride step between window positions in model-input pixels; 0: half the window
 * @param riseMasks random masks per image
 * @param riseGrid masks are drawn on a riseGrid × riseGrid grid before upsampling
 * @param riseProbability chance that a grid cell is kept
 */
public record SamplingOptions(
    int igSteps,
    IgBaseline igBaseline,
    int smoothGradSamples,
    float smoothGradSigma,
    long seed,
    int occlusionWindow,
    int occlusionStride,
    int riseMasks,
    int riseGrid,
    float riseProbability)
    implements Serializable {

  /** The documented defaults. */
  public static final SamplingOptions DEFAULTS =
      new SamplingOptions(32, IgBaseline.BLACK, 16, 0.15f, 0L, 0, 0, 1000, 7, 0.5f);

  public SamplingOptions {
    Objects.requireNonNull(igBaseline, "igBaseline is null");
    if (igSteps < 1 || smoothGradSamples < 1 || riseMasks < 1 || riseGrid < 1 || occlusionWindow < 0
        || occlusionStride < 0 || !(smoothGradSigma >= 0) || !(riseProbability > 0 && riseProbability <= 1)) {
      throw new IllegalArgumentException("Cannot use sampling options " + describe(igSteps, smoothGradSamples,
          smoothGradSigma, occlusionWindow, occlusionStride, riseMasks, riseGrid, riseProbability));
    }
  }

  private static String describe(int steps, int samples, float sigma, int window, int stride, int masks, int grid, float p) {
    return String.format(
        "(ig steps %d, smoothgrad samples %d and sigma %s, occlusion window %d and stride %d, rise masks %d, grid %d, "
            + "p %s): counts must be positive, sizes not negative, 0 < p <= 1", steps, samples, sigma, window, stride,
        masks, grid, p);
  }

  /** The occlusion window for an imageSize × imageSize input: as given, or 1/8 of the side (at least 1). */
  public int occlusionWindow(int imageSize) {
    return occlusionWindow > 0 ? occlusionWindow : Math.max(1, imageSize / 8);
  }

  /** The occlusion stride for an imageSize × imageSize input: as given, or half the window (at least 1). */
  public int occlusionStride(int imageSize) {
    return occlusionStride > 0 ? occlusionStride : Math.max(1, occlusionWindow(imageSize) / 2);
  }

  /** A copy with other Integrated Gradients settings. */
  public SamplingOptions withIg(int steps, IgBaseline baseline) {
    return new SamplingOptions(
        steps, baseline, smoothGradSamples, smoothGradSigma, seed, occlusionWindow, occlusionStride, riseMasks,
        riseGrid, riseProbability);
  }

  /** A copy with other SmoothGrad settings and seed. */
  public SamplingOptions withSmoothGrad(int samples, float sigma, long newSeed) {
    return new SamplingOptions(
        igSteps, igBaseline, samples, sigma, newSeed, occlusionWindow, occlusionStride, riseMasks, riseGrid,
        riseProbability);
  }

  /** A copy with other occlusion settings. */
  public SamplingOptions withOcclusion(int window, int stride) {
    return new SamplingOptions(
        igSteps, igBaseline, smoothGradSamples, smoothGradSigma, seed, window, stride, riseMasks, riseGrid,
        riseProbability);
  }

  /** A copy with other RISE settings. */
  public SamplingOptions withRise(int masks, int grid, float probability) {
    return new SamplingOptions(
        igSteps, igBaseline, smoothGradSamples, smoothGradSigma, seed, occlusionWindow, occlusionStride, masks, grid,
        probability);
  }
}
