package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.sparksaliency.job.model.ModelException;
import org.sparksaliency.job.model.TorchModel;

/**
 * Gradient-weighted attention rollout (after Chefer et al. 2021): every layer's attention
 * probabilities A times the positive part of d(target logit)/dA, averaged over heads, then rolled
 * out (see {@link Rollout}).
 *
 * <p>The gradient comes from the model's {@code forward_with_attentions(x, d)}, which runs the
 * forward with A_l + d[l] in place of each layer's attention A_l: with d = 0 the values are
 * unchanged and d(logit)/d(d[l]) is exactly d(logit)/dA_l, through every later layer. A plain
 * {@code attentions(x)} output cannot give this: it is a copy beside the graph, not on the path to
 * the logits.
 */
final class GradRolloutMethod implements SaliencyMethod {
  static final String NAME = "grad_rollout";
  static final String FORWARD_WITH_ATTENTIONS = "forward_with_attentions";

  static final MethodDefinition DEFINITION =
      MethodDefinition.of(NAME, GradRolloutMethod::new, List.of(Rollout.DISCARD));

  private final Rollout rollout;

  GradRolloutMethod(MethodOptions options) {
    this.rollout = new Rollout(options.get(Rollout.DISCARD));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> requiredModelMethods() {
    return List.of(AttentionRolloutMethod.ATTENTIONS, FORWARD_WITH_ATTENTIONS, PatchGrid.METHOD);
  }

  @Override
  public SamplePlan plan(ExplainBatch batch) {
    return new OneSamplePlan(batch, Probes.maps(this::maps), OneSamplePlan.row(0));
  }

  /** Maps for a micro-batch: [n, 3, S, S] in, n maps of S × S out. */
  float[][] maps(TorchModel model, NDArray input, int[] targets) {
    int n = targets.length;
    try (NDManager scope = input.getManager().newSubManager()) {
      NDArray x = input.duplicate();
      x.attach(scope);
      // The offsets need the attention's shape: one sample through attentions(x), without a graph.
      NDArray probe = model.call(AttentionRolloutMethod.ATTENTIONS, x.get("0:1"));
      AttentionRolloutMethod.requireStacked(model, probe, 1);
      Shape one = probe.getShape();
      NDArray offsets =
          scope.zeros(
              new Shape(one.get(0), n, one.get(2), one.get(3), one.get(4)), x.getDataType());
      offsets.setRequiresGradient(true);
      NDList out = model.callAll(FORWARD_WITH_ATTENTIONS, scope, x, offsets);
      if (out.size() != 2) {
        throw new ModelException(
            model.uri(),
            FORWARD_WITH_ATTENTIONS
                + "(x, d) must return (logits, attentions); got "
                + out.size()
                + " tensors",
            null);
      }
      TorchModel.backward(TargetLogits.sum(out.get(0), targets));
      NDArray attentions = out.get(1).stopGradient();
      NDArray fused = attentions.mul(offsets.getGradient().maximum(0f)).mean(new int[] {2});
      return rollout.heatmaps(model, fused, input);
    }
  }
}
