package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.sparksaliency.job.model.TorchModel;

/** The probes the methods share. */
final class Probes {
  private Probes() {}

  /**
   * Logits and d(target logit)/d(input) of every sample, values: [gradient [m, 3, S, S]]. One backward of
   * the sum of the target logits gives every sample its own gradient: samples are independent in eval mode.
   */
  static final Probe INPUT_GRADIENT =
      (model, x, targets) -> {
        x.setRequiresGradient(true);
        NDArray logits = model.call("forward", x);
        TorchModel.backward(TargetLogits.sum(logits, targets));
        return new ProbeResult(logits, List.of(x.getGradient()));
      };

  /** Logits only, with autograd off: no graph is built (occlusion, RISE, prediction). */
  static final Probe FORWARD = (model, x, targets) -> new ProbeResult(model.callWithoutGraph("forward", x), List.of());

  /**
   * For CAM methods: values [activations A [m, C, h, w], d(target logit)/dA [m, C, h, w]]. The features run
   * without a graph; only the head is differentiated.
   */
  static final Probe FEATURE_GRADIENT =
      (model, x, targets) -> {
        NDArray activations = model.callWithoutGraph("features", x);
        activations.setRequiresGradient(true);
        NDArray logits = model.call("head", activations);
        TorchModel.backward(TargetLogits.sum(logits, targets));
        return new ProbeResult(logits, List.of(activations.stopGradient(), activations.getGradient()));
      };
}
