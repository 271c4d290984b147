package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import java.util.OptionalDouble;

/**
 * One method's work on one batch of images ({@link SampleWork}), ending in a map per image once the
 * {@link SampleScheduler} has run every sample.
 */
public interface SamplePlan extends SampleWork {

  /**
   * Every image's map at model-input resolution, [B, size, size] float32 on the device, in the
   * batch's scope, once all samples are in; a map computed in double precision is brought into
   * float32's range first ({@link FloatRange}).
   */
  NDArray maps(DeviceBatch batch);

  /**
   * For attribution methods with a completeness property, sum(attribution) − (f(x) − f(baseline))
   * of the target logit; empty for the others.
   */
  default OptionalDouble completenessError(int image) {
    return OptionalDouble.empty();
  }
}
