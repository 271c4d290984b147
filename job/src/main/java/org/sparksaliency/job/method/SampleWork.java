package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;

/**
 * Model work on a batch of images, described as {@link #samplesPerImage()} model inputs per image
 * for the {@link SampleScheduler}: what every model pass of the job is, a saliency method's {@link
 * SamplePlan} or the per-layer statistics. The work builds each micro-batch's inputs and adds its
 * outputs to per-image accumulators as engine ops on the model's device ({@link DeviceBatch}); the
 * scheduler decides how many samples go through the model at once, so nothing here may depend on
 * that.
 *
 * <p>The scheduler calls {@link #accumulate} for every (image, sample) pair exactly once, in
 * image-major, sample-minor order, whatever the micro-batch size: an image's rows in a micro-batch
 * are consecutive samples ({@link MicroBatch#runs()}), so a work can reduce them with one engine op
 * and merge that into the image's accumulator. Maps then differ across micro-batch sizes only by
 * the rounding of those float64 sums; the same micro-batch size gives the same bytes. {@link
 * #inputs} may be called more than once for a pair (a micro-batch retried after an out-of-memory
 * error) and must give the same input each time.
 */
public interface SampleWork {

  /**
   * Work on the whole batch before its samples are counted, once per {@link SampleScheduler#run}: a
   * work whose sample count depends on the model (one sample per feature channel) finds it here.
   * Nothing by default.
   */
  default void prepare(DeviceBatch batch) {}

  /** Samples per image (S); read after {@link #prepare}. */
  int samplesPerImage();

  /**
   * The normalised inputs [m, 3, size, size] of the micro-batch's pairs, in its scope ({@link
   * MicroBatch#scope()}), on the device of {@code batch}.
   */
  NDArray inputs(DeviceBatch batch, MicroBatch pairs);

  /** What the model computes for each micro-batch of samples. */
  Probe probe();

  /**
   * Whether a sample's input depends only on its image's pixels and the sample index, not on the
   * target: then the (image, target) pairs of one image ({@link DeviceBatch#source}) share their
   * samples' model passes ({@link SharedInputs}). True for the saliency methods.
   */
  default boolean inputsIgnoreTarget() {
    return true;
  }

  /** Adds the micro-batch's outputs to its images' accumulators, row by row in order. */
  void accumulate(DeviceBatch batch, MicroBatch outputs);
}
