package org.sparksaliency.job.visualize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.sparksaliency.job.model.TorchModel;

/** One image's target logit and its input gradient, computed on the model owner thread. */
final class InputGradient {
  private InputGradient() {}

  static TargetGradient.Step at(TorchModel model, float[] image, int size, int target) {
    try (NDManager scope = model.manager().newSubManager()) {
      NDArray x = scope.create(image, new Shape(1, 3, size, size));
      x.setRequiresGradient(true);
      NDArray logit = targetLogit(model, x, target);
      float value = logit.getFloat();
      TorchModel.backward(logit);
      return new TargetGradient.Step(value, x.getGradient().toFloatArray());
    }
  }

  static float logit(TorchModel model, float[] image, int size, int target) {
    try (NDManager scope = model.manager().newSubManager()) {
      return targetLogit(model, scope.create(image, new Shape(1, 3, size, size)), target)
          .getFloat();
    }
  }

  private static NDArray targetLogit(TorchModel model, NDArray x, int target) {
    NDArray logits = model.call("forward", x);
    long classes = logits.getShape().get(1);
    if (target < 0 || target >= classes) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot visualise class %d: model %s has %d classes", target, model.uri(), classes));
    }
    return logits.get(0, target);
  }
}
