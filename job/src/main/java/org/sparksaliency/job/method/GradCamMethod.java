package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
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

  /** The spatial mean of d(target logit)/dA per channel, [m, C]. */
  static NDArray weights(NDArray a, NDArray g) {
    Shape s = g.getShape();
    return g.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
  }
}
