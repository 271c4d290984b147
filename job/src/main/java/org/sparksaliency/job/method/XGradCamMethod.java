package org.sparksaliency.job.method;

import java.util.List;

/**
 * XGrad-CAM (Fu et al. 2020, "Axiom-based Grad-CAM"): w_k = sum_ij G_kij A_kij / (sum_ij A_kij +
 * 1e-7), map = ReLU(sum_k w_k A_k); as pytorch-grad-cam's {@code pytorch_grad_cam/xgrad_cam.py}
 * (its eps 1e-7 included). Computed on the engine ({@link CamProbe}); ViT tokens are laid on the
 * patch grid.
 */
final class XGradCamMethod implements SaliencyMethod {
  static final String NAME = "xgradcam";
  private static final double EPS = 1e-7;
  private static final int[] SPACE = {2, 3};

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
    return CamProbe.plan(
        batch,
        NAME,
        (a, g) -> {
          var w = g.mul(a).div(a.sum(SPACE, true).add(EPS)).sum(SPACE, true);
          return w.mul(a).sum(new int[] {1});
        });
  }
}
