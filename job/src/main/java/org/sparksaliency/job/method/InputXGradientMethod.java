package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Input × gradient (Shrikumar et al. 2016): sum over colour channels of x · d(target logit)/dx.
 * Signed: the stored heatmap keeps negative values.
 */
final class InputXGradientMethod implements SaliencyMethod {
  static final String NAME = "input_x_gradient";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SamplePlan plan(ExplainBatch batch) {
    return new OneSamplePlan(
        batch,
        Probes.INPUT_GRADIENT,
        (OneSamplePlan.DeviceReduction)
            (out, device) -> {
              NDArray x = device.gather(out.images(), out.scope()).toType(DataType.FLOAT64, false);
              NDArray g = out.value(0).toType(DataType.FLOAT64, false);
              return FloatRange.fit(ChannelMaps.sum(x.mul(g)));
            });
  }
}
