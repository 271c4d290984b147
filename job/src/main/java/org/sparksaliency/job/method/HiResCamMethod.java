package org.sparksaliency.job.method;

import java.util.List;

/**
 * HiResCAM (Draelos & Carin 2020, "Use HiResCAM instead of Grad-CAM for faithful explanations of
 * convolutional neural networks"): map = ReLU(sum_k G_k ⊙ A_k), the element-wise product of the
 * gradient and the activations summed over channels, without Grad-CAM's spatial averaging of the
 * gradient; as pytorch-grad-cam's {@code pytorch_grad_cam/hirescam.py}. Computed on the engine
 * ({@link CamProbe}); ViT tokens are laid on the patch grid.
 */
final class HiResCamMethod implements SaliencyMethod {
  static final String NAME = "hirescam";

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
    return CamProbe.plan(batch, NAME, (a, g) -> a.mul(g).sum(new int[] {1}));
  }
}
