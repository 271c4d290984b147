package org.sparksaliency.job.method;

/**
 * Brings a map computed in double precision into float32, the type of every stored map, without
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
 * <p>NaN and infinity are cast as they are, so that a model that outputs them is quarantined.
 */
final class FloatRange {
  private static final int MAX_EXPONENT = 126;

  private FloatRange() {}

  /**
   * {@code values} as floats, scaled by a power of two if their largest magnitude is outside the
   * range.
   */
  static float[] fit(double[] values) {
    double max = 0;
    for (double v : values) {
      max = Math.max(max, Math.abs(v));
    }
    int shift = 0;
    if (max > 0 && Double.isFinite(max)) {
      int exponent = Math.getExponent(max);
      if (exponent > MAX_EXPONENT || exponent < Float.MIN_EXPONENT) {
        shift = -exponent;
      }
    }
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) Math.scalb(values[i], shift);
    }
    return out;
  }
}
