package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.sparksaliency.job.model.ModelException;
import org.sparksaliency.job.model.TorchModel;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.option.OptionType;

/**
 * Attention rollout (Abnar &amp; Zuidema 2020) for vision transformers: the heads of every layer's
 * attention probabilities are fused (mean or max), then rolled out through the layers (see {@link
 * Rollout}). Forward only: no graph is built.
 */
public final class AttentionRolloutMethod implements SaliencyMethod {
  static final String NAME = "attention_rollout";

  /** How the heads of a layer are merged. */
  public static final Option<HeadFusion> HEAD_FUSION =
      Option.ofMethods(
          "rollout-head-fusion",
          OptionType.choice("fusion", HeadFusion::code, HeadFusion.values()),
          "mean",
          "merge the heads of a layer by mean | max");

  static final MethodDefinition DEFINITION =
      MethodDefinition.of(NAME, AttentionRolloutMethod::new, List.of(HEAD_FUSION, Rollout.DISCARD));
  static final String ATTENTIONS = "attentions";

  private final HeadFusion fusion;
  private final Rollout rollout;

  AttentionRolloutMethod(MethodOptions options) {
    this.fusion = options.get(HEAD_FUSION);
    this.rollout = new Rollout(options.get(Rollout.DISCARD));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> requiredModelMethods() {
    return List.of(ATTENTIONS, PatchGrid.METHOD);
  }

  @Override
  public SamplePlan plan(ExplainBatch batch) {
    return new OneSamplePlan(batch, Probes.maps(this::maps), OneSamplePlan.row(0));
  }

  /** Maps for a micro-batch: [n, 3, S, S] in, n maps of S × S out. */
  float[][] maps(TorchModel model, NDArray input, int[] targets) {
    try (NDManager scope = input.getManager().newSubManager()) {
      NDArray x = input.duplicate();
      x.attach(scope);
      NDArray attentions = model.call(ATTENTIONS, x);
      requireStacked(model, attentions, targets.length);
      NDArray fused = fusion.fuse(attentions);
      return rollout.heatmaps(model, fused, input);
    }
  }

  /** Fails naming the model unless {@code a} is [layers, n, heads, tokens, tokens]. */
  static void requireStacked(TorchModel model, NDArray a, int n) {
    Shape s = a.getShape();
    if (s.dimension() != 5 || s.get(1) != n || s.get(3) != s.get(4)) {
      throw new ModelException(
          model.uri(),
          String.format(
              "attentions must be one tensor [layers, batch, heads, tokens, tokens]; got %s for a batch of %d",
              s, n),
          null);
    }
  }
}
