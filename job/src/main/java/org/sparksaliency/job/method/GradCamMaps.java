package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.function.Function;
import org.sparksaliency.job.model.ModelException;
import org.sparksaliency.job.model.TorchModel;

/**
 * Grad-CAM maps (Selvaraju et al. 2017) over the model's {@code features}/{@code head} split: channel weights
 * are the spatial mean of d(target logit)/dA, the map is ReLU(sum_k w_k A_k), upsampled bilinearly (half-pixel
 * centres) to the input size. The features run without building a graph; only the head is differentiated.
 * Features of rank 3 are a vision transformer's tokens, laid out on the model's {@code patch_grid()}. Shared by
 * {@code gradcam} and {@code guided_gradcam}.
 */
final class GradCamMaps {
  private GradCamMaps() {}

  /**
   * One map per sample, at the input's height × width, row-major.
   *
   * @param chooser given the logits of head(features(x)), the class to explain per sample
   */
  static float[][] upsampled(TorchModel model, NDArray input, Function<NDArray, int[]> chooser) {
    try (NDManager scope = input.getManager().newSubManager()) {
      NDArray x = input.duplicate();
      x.attach(scope);
      NDArray activations = model.call("features", x);
      activations.setRequiresGradient(true);
      NDArray logits = model.call("head", activations);
      int[] targets = chooser.apply(logits);
      TorchModel.backward(TargetLogits.sum(logits, targets));
      NDArray a = activations.stopGradient();
      NDArray grad = activations.getGradient();
      if (a.getShape().dimension() == 3) {
        // A vision transformer's tokens [n, tokens, C]: the patch tokens, laid out on the model's patch grid.
        PatchGrid grid = tokenGrid(model, scope);
        int first = grid.firstPatch(model, a.getShape().get(1), "features(x)");
        a = grid.toGrid(a, first);
        grad = grid.toGrid(grad, first);
      }
      Shape s = grad.getShape();
      NDArray weights = grad.reshape(s.get(0), s.get(1), -1).mean(new int[] {2}).expandDims(2).expandDims(3);
      NDArray cam = a.mul(weights).sum(new int[] {1}).maximum(0f);
      int h = Math.toIntExact(cam.getShape().get(1));
      int w = Math.toIntExact(cam.getShape().get(2));
      int height = Math.toIntExact(input.getShape().get(2));
      int width = Math.toIntExact(input.getShape().get(3));
      float[][] small = Maps.rows(cam, targets.length);
      float[][] out = new float[targets.length][];
      for (int i = 0; i < targets.length; i++) {
        out[i] = BilinearUpsampler.resize(small[i], h, w, height, width);
      }
      return out;
    }
  }

  private static PatchGrid tokenGrid(TorchModel model, NDManager scope) {
    if (!model.hasMethod(PatchGrid.METHOD)) {
      throw new ModelException(
          model.uri(),
          "--methods gradcam got tokens [n, tokens, channels] from features(x); a vision transformer must also "
              + "export patch_grid() (see the model contract in README.md)",
          null);
    }
    return PatchGrid.of(model, scope);
  }
}
