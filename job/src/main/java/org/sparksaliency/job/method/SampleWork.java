package org.sparksaliency.job.method;

/**
 * Model work on a batch of images, described as {@link #samplesPerImage()} model inputs per image
 * for the {@link SampleScheduler}: what every model pass of the job is, a saliency method's {@link
 * SamplePlan} or the per-layer statistics. The work owns its per-image accumulators; the scheduler
 * decides how many samples go through the model at once, so nothing here may depend on that.
 *
 * <p>The scheduler calls {@link #accumulate} for every (image, sample) pair exactly once, in
 * image-major, sample-minor order, whatever the micro-batch size: sums therefore add up in the same
 * order for any micro-batch size. {@link #fill} may be called more than once for a pair (a
 * micro-batch retried after an out-of-memory error) and must give the same input each time.
 */
public interface SampleWork {

  /** Samples per image (S). */
  int samplesPerImage();

  /**
   * Writes sample {@code sample} of image {@code image} (normalised CHW, 3 × size × size values)
   * into {@code dst} at {@code offset}.
   */
  void fill(int image, int sample, float[] dst, int offset);

  /** What the model computes for each micro-batch of samples. */
  Probe probe();

  /**
   * Adds the outputs of one sample (row {@code row} of {@code outputs}) to its image's
   * accumulators.
   */
  void accumulate(int image, int sample, SampleOutputs outputs, int row);
}
