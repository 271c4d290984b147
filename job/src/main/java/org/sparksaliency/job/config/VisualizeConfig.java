package org.sparksaliency.job.config;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * The validated configuration of {@code bin/saliency visualize}. Built only by {@link
 * VisualizeOptions}.
 *
 * @param model URI of the TorchScript file
 * @param sha256 optional expected sha-256 (hex) of the model file
 * @param classes class indices or, with labels, class names, in the order given
 * @param labels optional class-name file, one per line in class-index order
 * @param output output folder URI (class_images/ and png/)
 * @param imageSize the images are imageSize × imageSize
 * @param mean per-channel RGB mean of the model's normalisation
 * @param std per-channel RGB standard deviation of the model's normalisation
 * @param steps gradient steps per class
 * @param learningRate step length in normalised input units (mean over pixels)
 * @param l2Decay multiplicative decay of the image towards the mean image after every step
 * @param jitter most pixels the image is shifted by before each gradient
 * @param blurEvery blur the image every this many steps (0: never)
 * @param blurSigma Gaussian blur standard deviation in pixels
 * @param seed seed of the initial noise and the jitter
 * @param torchThreads intra-op threads of the model owner; 0 means the executor's cores
 * @param runId identifier written into every row
 * @param master Spark master when not launched by spark-submit
 */
public record VisualizeConfig(
    String model,
    Optional<String> sha256,
    List<String> classes,
    Optional<String> labels,
    String output,
    int imageSize,
    float[] mean,
    float[] std,
    int steps,
    float learningRate,
    float l2Decay,
    int jitter,
    int blurEvery,
    float blurSigma,
    long seed,
    int torchThreads,
    String runId,
    Optional<String> master)
    implements Serializable {

  public VisualizeConfig {
    classes = List.copyOf(classes);
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
