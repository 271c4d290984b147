package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Selects each sample's target logit and sums them, so one backward gives every sample its gradient. */
final class TargetLogits {
  private TargetLogits() {}

  /**
   * sum_i logits[i, targets[i]]. Samples are independent in eval mode, so d(sum)/d(input_i) is the
   * gradient of sample i's own target logit.
   */
  static NDArray sum(NDArray logits, int[] targets) {
    long classes = logits.getShape().get(1);
    float[] oneHot = new float[Math.toIntExact(targets.length * classes)];
    for (int i = 0; i < targets.length; i++) {
      if (targets[i] < 0 || targets[i] >= classes) {
        throw new IllegalArgumentException(
            String.format("Cannot explain class %d: the model has %d classes", targets[i], classes));
      }
      oneHot[Math.toIntExact(i * classes + targets[i])] = 1f;
    }
    NDArray mask = logits.getManager().create(oneHot, new Shape(targets.length, classes));
    return logits.mul(mask.toType(logits.getDataType(), false)).sum();
  }

}
