package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.function.Function;
import org.sparksaliency.job.model.TorchModel;

/**
 * Vanilla gradient (Simonyan et al. 2014): the gradient of the target logit with respect to the input;
 * the heatmap is the maximum over colour channels of its absolute value.
 */
final class GradientMethod implements SaliencyMethod, OwnLogits {
  static final String NAME = "gradient";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> requiredModelMethods() {
    return List.of();
  }

  @Override
  public float[][] explain(TorchModel model, NDArray input, int[] targets) {
    return explainChoosingTargets(model, input, logits -> targets);
  }

  @Override
  public float[][] explainChoosingTargets(TorchModel model, NDArray input, Function<NDArray, int[]> chooser) {
    try (NDManager scope = input.getManager().newSubManager()) {
      NDArray x = input.duplicate();
      x.attach(scope);
      x.setRequiresGradient(true);
      NDArray logits = model.call("forward", x);
      int[] targets = chooser.apply(logits);
      TorchModel.backward(TargetLogits.sum(logits, targets));
      NDArray maps = x.getGradient().abs().max(new int[] {1});
      return Maps.rows(maps, targets.length);
    }
  }
}
