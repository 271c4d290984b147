package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
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
    OneSamplePlan.Reduction gradCam = CamMaps.reduction(batch.imageSize(), GradCamMethod::weights);
    OneSamplePlan.Reduction guided = OneSamplePlan.row(2);
    return new OneSamplePlan(
        batch,
        probe,
        (image, out, row) -> {
          float[] g = guided.map(image, out, row);
          float[] c = gradCam.map(image, out, row);
          // In double: the float product of two tiny (or huge) maps under- (or over-)flows.
          double[] map = new double[g.length];
          for (int j = 0; j < map.length; j++) {
            map[j] = (double) g[j] * c[j];
          }
          return FloatRange.fit(map);
        });
  }
}
