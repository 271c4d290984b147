package org.sparksaliency.job.method;

import java.util.List;

/**
 * Grad-CAM (Selvaraju et al. 2017) over the model's {@code features}/{@code head} split: channel
 * weights are the spatial mean of d(target logit)/dA, the map is ReLU(sum_k w_k A_k), upsampled
 * bilinearly (half-pixel centres) to the input size. The features run without building a graph;
 * only the head is differentiated. Features of rank 3 are a vision transformer's tokens [n, tokens,
 * C]: the patch tokens are laid out on the grid the model's {@code patch_grid()} gives, so no
 * reshape code is needed from the user.
 */
final class GradCamMethod implements PredictingMethod {
  static final String NAME = "gradcam";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> requiredModelMethods() {
    return List.of("features", "head");
  }

  @Override
  public SamplePlan plan(ExplainBatch batch) {
    return OneSamplePlan.predicting(
        batch,
        Probes.featureGradient(NAME),
        CamMaps.reduction(batch.imageSize(), GradCamMethod::weights));
  }

  static double[] weights(float[] a, float[] g, int offset, int channels, int cells) {
    double[] w = new double[channels];
    for (int k = 0; k < channels; k++) {
      double s = 0;
      for (int p = 0; p < cells; p++) {
        s += g[offset + k * cells + p];
      }
      w[k] = s / cells;
    }
    return w;
  }
}
