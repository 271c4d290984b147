package org.sparksaliency.job.method;

import java.util.OptionalDouble;

/**
 * One method's work on one batch of images ({@link SampleWork}), ending in a map per image once the
 * {@link SampleScheduler} has run every sample.
 */
public interface SamplePlan extends SampleWork {

  /**
   * Image {@code image}'s map at model-input resolution (size × size, row-major), once all samples
   * are in.
   */
  float[] map(int image);

  /**
   * For attribution methods with a completeness property, sum(attribution) − (f(x) − f(baseline))
   * of the target logit; empty for the others.
   */
  default OptionalDouble completenessError(int image) {
    return OptionalDouble.empty();
  }
}
