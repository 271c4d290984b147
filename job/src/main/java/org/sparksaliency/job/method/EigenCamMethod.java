package org.sparksaliency.job.method;

import java.util.List;

/**
 * Eigen-CAM (Muhammad & Yeasin 2020, "Eigen-CAM: class activation map using principal components"):
 * map = ReLU of the activations' projection onto their first principal component ({@link
 * EigenProjection}), upsampled bilinearly to the input; as pytorch-grad-cam's {@code
 * pytorch_grad_cam/eigen_cam.py}, with the component's sign fixed. Class-agnostic: the map does not
 * depend on the target, and no gradient is computed (features and head run without a graph). ViT
 * tokens are laid on the patch grid.
 */
final class EigenCamMethod implements SaliencyMethod {
  static final String NAME = "eigencam";

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
    Probe activations = Probes.featureActivations(NAME);
    Probe probe =
        (model, x, targets) -> {
          ProbeResult r = activations.run(model, x, targets);
          return new ProbeResult(
              r.logits(), List.of(EigenProjection.of(r.values().get(0)).maximum(0)));
        };
    return new OneSamplePlan(batch, probe, CamProbe.upsampled(batch.imageSize()));
  }
}
