package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * Guided Grad-CAM (Selvaraju et al. 2017): the guided-backpropagation map multiplied cell by cell
 * with the Grad-CAM map upsampled to the input. Grad-CAM is non-negative, so this equals the
 * maximum over channels of |guided gradient × Grad-CAM|, the paper's product reduced to one channel
 * like the other maps.
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
  public SamplePlan plan(ExplainBatch batch) {
    Probe cam = Probes.featureGradient(NAME);
    Probe probe =
        (model, x, targets) -> {
          ProbeResult r = cam.run(model, x, targets);
          List<NDArray> values = new ArrayList<>(r.values());
          values.add(GuidedGradient.maxAbs(model, x, targets));
          return new ProbeResult(r.logits(), values);
        };
    OneSamplePlan.DeviceReduction gradCam =
        CamMaps.reduction(batch.imageSize(), GradCamMethod::weights);
    return new OneSamplePlan(
        batch,
        probe,
        (OneSamplePlan.DeviceReduction)
            (out, device) -> {
              // In double: the float product of two tiny (or huge) maps under- (or over-)flows.
              NDArray g = out.value(2).toType(DataType.FLOAT64, false);
              NDArray c = gradCam.maps(out, device).toType(DataType.FLOAT64, false);
              return FloatRange.fit(g.mul(c));
            });
  }
}
