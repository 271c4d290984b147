package org.sparksaliency.job.method;

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
    int plane = batch.plane();
    return new OneSamplePlan(
        batch,
        Probes.INPUT_GRADIENT,
        (image, out, row) -> {
          float[] x = batch.image(image);
          float[] g = out.values(0);
          int base = row * 3 * plane;
          double[] product = new double[3 * plane];
          for (int i = 0; i < product.length; i++) {
            product[i] = (double) x[i] * g[base + i];
          }
          return ChannelMaps.sum(product, plane);
        });
  }
}
