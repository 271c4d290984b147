package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Class activation maps from the {@link Probes#featureGradient} outputs, as engine ops on the
 * model's device: channel weights w [m, C] from the activations A and gradients dY/dA [m, C, h, w]
 * (float64), map = ReLU(sum_k w_k A_k), brought into float range ({@link FloatRange}) and upsampled
 * bilinearly with half-pixel centres to the input size, as PyTorch's {@code interpolate(mode=
 * "bilinear", align_corners=False)}.
 */
final class CamMaps {

  /** Channel weights of a micro-batch. */
  @FunctionalInterface
  interface Weights {
    /**
     * @param a activations, float64 [m, C, h, w]
     * @param g d(target logit)/dA, float64 [m, C, h, w]
     * @return w, float64 [m, C]
     */
    NDArray of(NDArray a, NDArray g);
  }

  /**
   * libtorch's interpolation mode for bilinear (DJL's JNI takes the enum index; align_corners
   * unset).
   */
  private static final int BILINEAR = 2;

  private CamMaps() {}

  /** The CAM maps of a micro-batch, [m, size, size] float32, with {@code weights}. */
  static OneSamplePlan.DeviceReduction reduction(int imageSize, Weights weights) {
    return (out, device) -> {
      NDArray a = out.value(0).toType(DataType.FLOAT64, false);
      NDArray g = out.value(1).toType(DataType.FLOAT64, false);
      return cam(a, weights.of(a, g), imageSize);
    };
  }

  /** ReLU(sum_k w_k A_k) at the input size, [m, size, size] float32. */
  static NDArray cam(NDArray a, NDArray w, int imageSize) {
    Shape s = a.getShape();
    NDArray sum = a.mul(w.reshape(s.get(0), s.get(1), 1, 1)).sum(new int[] {1});
    return toInput(sum.maximum(0.0), imageSize);
  }

  /** Float64 maps [m, h, w] in float range ({@link FloatRange}) and upsampled to the input size. */
  static NDArray toInput(NDArray maps, int imageSize) {
    return upsample(FloatRange.fit(maps), imageSize);
  }

  /** Bilinear upsampling with half-pixel centres of [m, h, w] maps to [m, size, size]. */
  static NDArray upsample(NDArray maps, int size) {
    Shape s = maps.getShape();
    if (s.get(1) == size && s.get(2) == size) {
      return maps;
    }
    NDArray four = maps.reshape(s.get(0), 1, s.get(1), s.get(2));
    NDArray big = JniUtils.interpolate((PtNDArray) four, new long[] {size, size}, BILINEAR, false);
    big.attach(maps.getManager());
    return big.reshape(s.get(0), size, size);
  }
}
