package org.sparksaliency.job.method;

import java.util.List;

/**
 * LayerCAM (Jiang et al. 2021, "LayerCAM: exploring hierarchical class activation maps for
 * localization", IEEE TIP): map = ReLU(sum_k ReLU(G_k) ⊙ A_k), each cell weighted by its own
 * positive gradient; as pytorch-grad-cam's {@code pytorch_grad_cam/layer_cam.py}. Computed on the
 * engine ({@link CamProbe}); ViT tokens are laid on the patch grid.
 */
final class LayerCamMethod implements SaliencyMethod {
  static final String NAME = "layercam";

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
    return CamProbe.plan(batch, NAME, (a, g) -> g.maximum(0).mul(a).sum(new int[] {1}));
  }
}
