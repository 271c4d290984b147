package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Selects each sample's target logit and sums them, so one backward gives every sample its
 * gradient.
 */
final class TargetLogits {
  /** A row that selects no logit (its input serves another row's target in this backward). */
  static final int NONE = Integer.MIN_VALUE;

  private TargetLogits() {}

  /**
   * sum_i logits[i, targets[i]]; a target of {@link BatchExplainer#PREDICTED} is the row's top
   * class. Samples are independent in eval mode, so d(sum)/d(input_i) is the gradient of sample i's
   * own target logit.
   */
  static NDArray sum(NDArray logits, int[] targets) {
    long classes = logits.getShape().get(1);
    float[] oneHot = new float[Math.toIntExact(targets.length * classes)];
    float[] values = null;
    for (int i = 0; i < targets.length; i++) {
      int target = targets[i];
      if (target == NONE) {
        continue;
      }
      if (target == BatchExplainer.PREDICTED) {
        // The prediction taken from this very pass (PredictingMethod): the class Prediction ranks
        // first.
        if (values == null) {
          values = logits.toType(DataType.FLOAT32, false).toFloatArray();
        }
        int c = Math.toIntExact(classes);
        target =
            Prediction.fromLogits(Arrays.copyOfRange(values, i * c, (i + 1) * c), 1).predicted();
      }
      if (target < 0 || target >= classes) {
        throw new IllegalArgumentException(
            String.format("Cannot explain class %d: the model has %d classes", target, classes));
      }
      oneHot[Math.toIntExact(i * classes + target)] = 1f;
    }
    NDArray mask = logits.getManager().create(oneHot, new Shape(targets.length, classes));
    return logits.mul(mask.toType(logits.getDataType(), false)).sum();
  }
}
