package org.sparksaliency.job.method;

import java.util.List;

/**
 * Guided backpropagation (Springenberg et al. 2015): the gradient of the target logit with respect
 * to the input where every ReLU passes back only positive gradients, and only where its input was
 * positive; the heatmap is the maximum over colour channels of its absolute value. Needs the
 * model's {@code guided_gradient}.
 */
final class GuidedBackpropMethod implements SaliencyMethod {
  static final String NAME = "guided_backprop";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> requiredModelMethods() {
    return List.of(GuidedGradient.MODEL_METHOD);
  }

  @Override
  public String exportHint() {
    return GuidedGradient.EXPORT_HINT;
  }

  @Override
  public SamplePlan plan(ExplainBatch batch) {
    return new OneSamplePlan(batch, GuidedGradient.PROBE, OneSamplePlan.value(0));
  }
}
