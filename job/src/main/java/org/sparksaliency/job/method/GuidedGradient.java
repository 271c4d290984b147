package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.sparksaliency.job.model.TorchModel;

/**
 * Guided backpropagation (Springenberg et al. 2015) through the model's exported {@code
 * guided_gradient(x, target)}: TorchScript has no backward hooks, so the export applies the guided
 * ReLU rule itself (sample-data/guided_contract.py).
 */
final class GuidedGradient {
  static final String MODEL_METHOD = "guided_gradient";
  static final String EXPORT_HINT =
      "export it with sample-data/export_torchvision.py --guided (torchvision ResNet/VGG) or "
          + "sample-data/export_sample_guided.py (the sample model); see sample-data/guided_contract.py";

  private GuidedGradient() {}

  /**
   * The probe of {@code guided_backprop}: values [max over channels of |guided gradient| [m, S,
   * S]], no logits.
   */
  static final Probe PROBE =
      (model, x, targets) -> new ProbeResult(null, List.of(maxAbs(model, x, targets)));

  /**
   * Per sample, the maximum over channels of |guided gradient of its target logit|, [m, S, S], in
   * the manager of {@code input} (the scheduler's micro-batch scope).
   */
  static NDArray maxAbs(TorchModel model, NDArray input, int[] targets) {
    NDManager scope = input.getManager();
    NDArray t =
        scope.create(Arrays.stream(targets).asLongStream().toArray(), new Shape(targets.length));
    NDArray g;
    try {
      g = model.call(MODEL_METHOD, input, t);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          String.format(
              "Cannot run %s of model %s for targets %s: %s",
              MODEL_METHOD, model.uri(), Arrays.toString(targets), firstLine(e.getMessage())),
          e);
    }
    g.attach(scope);
    if (!g.getShape().equals(input.getShape())) {
      throw new IllegalStateException(
          String.format(
              "Cannot use %s of model %s: it returned shape %s for input shape %s",
              MODEL_METHOD, model.uri(), g.getShape(), input.getShape()));
    }
    return ChannelMaps.maxAbs(g);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "no message";
    }
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }
}
