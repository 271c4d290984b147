package org.sparksaliency.job.config;

import java.io.Serializable;

/**
 * Parameters of the methods that sample several inputs per image.
 *
 * @param igSteps Integrated Gradients quadrature points along the path
 * @param igBaseline the path's start
 * @param smoothGradSamples noisy copies per image for smoothgrad, smoothgrad_sq and vargrad
 * @param smoothGradSigma noise standard deviation as a share of the [0, 1] pixel range
 * @param seed seeds every random draw together with the image_id, so reruns repeat
 * @param occlusionWindow side of the occluding square, in model-input pixels
 * @param occlusionStride step between window positions, in model-input pixels
 * @param riseMasks random masks per image
 * @param riseGrid masks are drawn on a riseGrid × riseGrid grid before upsampling
 * @param riseProbability chance that a grid cell is kept
 */
public record SamplingConfig(
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

  /** The documented defaults for an imageSize × imageSize input. */
  public static SamplingConfig defaults(int imageSize) {
    int window = defaultWindow(imageSize);
    return new SamplingConfig(32, IgBaseline.BLACK, 16, 0.15f, 0L, window, defaultStride(window), 1000, 7, 0.5f);
  }

  /** 1/8 of the input side, at least one pixel. */
  static int defaultWindow(int imageSize) {
    return Math.max(1, imageSize / 8);
  }

  /** Half the window, at least one pixel. */
  static int defaultStride(int window) {
    return Math.max(1, window / 2);
  }

  /** A copy with other Integrated Gradients settings. */
  public SamplingConfig withIg(int steps, IgBaseline baseline) {
    return new SamplingConfig(
        steps, baseline, smoothGradSamples, smoothGradSigma, seed, occlusionWindow, occlusionStride, riseMasks,
        riseGrid, riseProbability);
  }

  /** A copy with other SmoothGrad settings. */
  public SamplingConfig withSmoothGrad(int samples, float sigma, long newSeed) {
    return new SamplingConfig(
        igSteps, igBaseline, samples, sigma, newSeed, occlusionWindow, occlusionStride, riseMasks, riseGrid,
        riseProbability);
  }

  /** A copy with other occlusion settings. */
  public SamplingConfig withOcclusion(int window, int stride) {
    return new SamplingConfig(
        igSteps, igBaseline, smoothGradSamples, smoothGradSigma, seed, window, stride, riseMasks, riseGrid,
        riseProbability);
  }

  /** A copy with other RISE settings. */
  public SamplingConfig withRise(int masks, int grid, float probability) {
    return new SamplingConfig(
        igSteps, igBaseline, smoothGradSamples, smoothGradSigma, seed, occlusionWindow, occlusionStride, masks, grid,
        probability);
  }
}
