package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/**
 * Gradient CAM maps computed on the model's engine: the {@link Probes#featureGradient} activations
 * A and gradients G = d(target logit)/dA of a micro-batch, both [m, C, h, w], go through a method's
 * formula in float64 and come back as ReLU(map) [m, h, w], upsampled bilinearly (half-pixel
 * centres) to the input size on the device ({@link CamMaps#upsample}). Tokens of a vision
 * transformer are on the patch grid already.
 */
final class CamProbe {

  /** A method's map before the ReLU, [m, h, w], from float64 A and G [m, C, h, w]. */
  @FunctionalInterface
  interface Formula {
    NDArray map(NDArray a, NDArray g);
  }

  private CamProbe() {}

  /** The probe of a gradient CAM; {@code method} names it in the model errors. */
  static Probe of(String method, Formula formula) {
    Probe features = Probes.featureGradient(method);
    return (model, x, targets) -> {
      ProbeResult r = features.run(model, x, targets);
      NDArray a = r.values().get(0).toType(DataType.FLOAT64, false);
      NDArray g = r.values().get(1).toType(DataType.FLOAT64, false);
      return new ProbeResult(r.logits(), List.of(formula.map(a, g).maximum(0)));
    };
  }

  /** A one-sample plan of {@link #of}'s probe, each map upsampled to the input. */
  static OneSamplePlan plan(ExplainBatch batch, String method, Formula formula) {
    return new OneSamplePlan(batch, of(method, formula), upsampled(batch.imageSize()));
  }

  /** Value 0 ([m, h, w], float64) in float range and upsampled to the input size, on the device. */
  static OneSamplePlan.DeviceReduction upsampled(int imageSize) {
    return (out, device) -> CamMaps.toInput(out.value(0), imageSize);
  }
}
