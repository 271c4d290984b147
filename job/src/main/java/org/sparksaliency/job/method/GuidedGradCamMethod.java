package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.sparksaliency.job.model.TorchModel;

/**
 * Guided Grad-CAM (Selvaraju et al. 2017): the guided-backpropagation map multiplied cell by cell with the
 * Grad-CAM map upsampled to the input. Grad-CAM is non-negative, so this equals the maximum over channels of
 * |guided gradient × Grad-CAM|, the paper's product reduced to one channel like the other maps.
 */
final class GuidedGradCamMethod implements SaliencyMethod {
  static final String NAME = "guided_gradcam";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> requiredModelMethods() {
    return List.of("features", "head", GuidedGradient.MODEL_METHOD);
  }

  @Override
  public String exportHint() {
    return GuidedGradient.EXPORT_HINT;
  }

  @Override
  public float[][] explain(TorchModel model, NDArray input, int[] targets) {
    float[][] guided = GuidedGradient.maps(model, input, targets);
    float[][] cam = GradCamMaps.upsampled(model, input, logits -> targets);
    for (int i = 0; i < guided.length; i++) {
      for (int j = 0; j < guided[i].length; j++) {
        guided[i][j] *= cam[i][j];
      }
    }
    return guided;
  }
}
