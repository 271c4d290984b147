package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Grad-CAM++ (Chattopadhay et al. 2018, eq. 19 and 7) on the {@code features}/{@code head} split.
 * With g = d(target logit)/dA and the paper's exponential-score closed form for the higher
 * derivatives, alpha_kij = g² / (2 g² + sum_ij(A_k) g³) (0 where g = 0), w_k = sum_ij alpha_kij
 * ReLU(g_kij), and the map is ReLU(sum_k w_k A_k) upsampled bilinearly to the input, as in
 * pytorch-grad-cam's GradCAMPlusPlus. Vision transformer tokens are laid out on the model's patch
 * grid as for {@code gradcam}.
 *
 * <p>Unlike Grad-CAM, the map is not proportional to the scale of the logits: alpha mixes g² and
 * g³, and {@link #EPS} is absolute (as in pytorch-grad-cam). For logits scaled by 1e-12, EPS
 * dominates the denominator, the weights become sum ReLU(g)³ / EPS and the map falls to about
 * 1e-33; it stays finite and non-zero ({@link FloatRange}).
 */
final class GradCamPlusPlusMethod implements SaliencyMethod {
  static final String NAME = "gradcam_pp";

  /** Keeps the alpha denominator away from zero, as pytorch-grad-cam does. */
  private static final double EPS = 1e-6;

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
    return new OneSamplePlan(
        batch,
        Probes.featureGradient(NAME),
        CamMaps.reduction(batch.imageSize(), GradCamPlusPlusMethod::weights));
  }

  /** w_k = sum_ij alpha_kij ReLU(g_kij) with alpha = g² / (2 g² + sum_ij(A_k) g³ + EPS), [m, C]. */
  static NDArray weights(NDArray a, NDArray g) {
    Shape s = a.getShape();
    NDArray sumA =
        a.reshape(s.get(0), s.get(1), -1).sum(new int[] {2}).reshape(s.get(0), s.get(1), 1, 1);
    NDArray g2 = g.mul(g);
    NDArray alpha = g2.div(g2.mul(2.0).add(sumA.mul(g2).mul(g)).add(EPS));
    return alpha.mul(g.maximum(0.0)).reshape(s.get(0), s.get(1), -1).sum(new int[] {2});
  }
}
