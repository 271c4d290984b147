package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Brings maps computed in double precision into float32, the type of every stored map, without
 * leaving float32's normal range.
 *
 * <p>A map whose largest magnitude m lies in [2^-126, 2^127) (about 1.2e-38 to 1.7e38) is cast as
 * it is: its values stay the method's raw values. Outside, a finite model output could still give a
 * non-finite or an empty map: smoothgrad_sq squares gradients, so |g| above 1.3e19 would cast to
 * infinity (a non_finite quarantine) and |g| below 1e-19 to subnormals with fewer bits, or to 0
 * below 3.7e-23. Such a map is first multiplied by the power of two that brings m to [1, 2). A
 * power of two scales exactly, so the map's shape, its bytes and every scale-free statistic are
 * those of the raw map; only heatmap_min, heatmap_max and sal_mean are then in other units. The
 * upper bound leaves a factor 2 below {@link Float#MAX_VALUE} for the float arithmetic after this
 * (bilinear upsampling of CAM maps can round past a value it interpolates).
 *
 * <p>NaN and infinity are cast as they are, so that a model that outputs them is quarantined. Only
 * each map's largest magnitude comes to the host.
 */
final class FloatRange {
  private static final int MAX_EXPONENT = 126;

  private FloatRange() {}

  /** The power of two that a map of largest magnitude {@code max} is multiplied by (0: none). */
  static int shift(double max) {
    if (max > 0 && Double.isFinite(max)) {
      int exponent = Math.getExponent(max);
      if (exponent > MAX_EXPONENT || exponent < Float.MIN_EXPONENT) {
        return -exponent;
      }
    }
    return 0;
  }

  /**
   * Maps [B, ...] float64 on the device as float32, each scaled by its own power of two if its
   * largest magnitude is outside the range.
   */
  static NDArray fit(NDArray maps) {
    long n = maps.getShape().get(0);
    double[] max = maps.abs().reshape(n, -1).max(new int[] {1}).toDoubleArray();
    double[] scale = new double[max.length];
    boolean scaled = false;
    for (int i = 0; i < max.length; i++) {
      int shift = shift(max[i]);
      scale[i] = Math.scalb(1.0, shift);
      scaled |= shift != 0;
    }
    NDArray out = maps;
    if (scaled) {
      long[] shape = new long[maps.getShape().dimension()];
      java.util.Arrays.fill(shape, 1);
      shape[0] = n;
      out = maps.mul(maps.getManager().create(scale, new Shape(shape)));
    }
    return out.toType(DataType.FLOAT32, false);
  }
}
