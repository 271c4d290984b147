package org.sparksaliency.job.method;

/**
 * Vanilla gradient (Simonyan et al. 2014): the gradient of the target logit with respect to the
 * input; the heatmap is the maximum over colour channels of its absolute value.
 */
final class GradientMethod implements PredictingMethod {
  static final String NAME = "gradient";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SamplePlan plan(ExplainBatch batch) {
    return OneSamplePlan.predicting(
        batch,
        Probes.INPUT_GRADIENT,
        (OneSamplePlan.DeviceReduction) (out, device) -> ChannelMaps.maxAbs(out.value(0)));
  }
}
