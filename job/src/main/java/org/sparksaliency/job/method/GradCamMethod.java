package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.function.Function;
import org.sparksaliency.job.model.TorchModel;

/**
 * Grad-CAM (Selvaraju et al. 2017) over the model's {@code features}/{@code head} split: channel weights are
 * the spatial mean of d(target logit)/dA, the map is ReLU(sum_k w_k A_k), upsampled bilinearly (half-pixel
 * centres) to the input size. The features run without building a graph; only the head is differentiated.
 * Features of rank 3 are a vision transformer's tokens [n, tokens, C]: the patch tokens are laid out on the
 * grid the model's {@code patch_grid()} gives, so no reshape code is needed from the user. The computation is
 * {@link GradCamMaps}, shared with {@code guided_gradcam}.
 */
final class GradCamMethod implements SaliencyMethod, OwnLogits {
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
  public float[][] explain(TorchModel model, NDArray input, int[] targets) {
    return GradCamMaps.upsampled(model, input, logits -> targets);
  }

  @Override
  public float[][] explainChoosingTargets(TorchModel model, NDArray input, Function<NDArray, int[]> chooser) {
    return GradCamMaps.upsampled(model, input, chooser);
  }
}
