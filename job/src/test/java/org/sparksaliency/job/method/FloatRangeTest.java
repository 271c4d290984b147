package org.sparksaliency.job.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Maps computed in double reach float32 finite and with their shape, whatever their magnitude. */
class FloatRangeTest {
  private static final double[] SHAPE = {0, 1, -3, 0.25, 2.5, -1e-3};

  /** One map through {@link FloatRange#fit(NDArray)}, the engine op the methods use. */
  private static float[] fit(double[] map) {
    try (NDManager m = NDManager.newBaseManager()) {
      return FloatRange.fit(m.create(map, new Shape(1, map.length))).toFloatArray();
    }
  }

  private static double[] times(double c) {
    double[] out = new double[SHAPE.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = SHAPE[i] * c;
    }
    return out;
  }

  @Test
  void mapsInsideTheNormalFloatRangeKeepTheirRawValues() {
    for (double c : new double[] {1, 1e-12, 1e-24, 1e-35, 1e37}) {
      double[] map = times(c);
      float[] f = fit(map);
      for (int i = 0; i < map.length; i++) {
        assertThat(f[i]).as("cell %d at %s", i, c).isEqualTo((float) map[i]);
      }
    }
  }

  @Test
  void mapsPastTheFloatMaximumOrBelowItsNormalsAreScaledByAPowerOfTwo() {
    // Squares of float gradients: 2e19² casts to infinity, 1e-23² to 0, 1e-20² to a subnormal.
    for (double c : new double[] {4e38, 1e60, 1e-40, 1e-46, 1e-90}) {
      double[] map = times(c);
      float[] f = fit(map);
      assertThat(Math.abs(f[2])).as("largest at %s", c).isBetween(1f, 2f);
      // The power of two that brings the largest magnitude, |map[2]|, to [1, 2).
      int shift = -Math.getExponent(map[2]);
      for (int i = 0; i < map.length; i++) {
        assertThat(f[i])
            .as("cell %d at %s", i, c)
            .isFinite()
            .isEqualTo((float) Math.scalb(map[i], shift));
        assertThat((double) f[i])
            .as("cell %d at %s", i, c)
            .isCloseTo(SHAPE[i] / SHAPE[2] * f[2], within(1e-6));
      }
    }
  }

  @Test
  void zeroAndNonFiniteMapsAreCastAsTheyAre() {
    assertThat(fit(new double[4])).containsOnly(0f);
    assertThat(fit(new double[] {1e-50, Double.NaN})).containsExactly(0f, Float.NaN);
    assertThat(fit(new double[] {1, Double.POSITIVE_INFINITY}))
        .containsExactly(1f, Float.POSITIVE_INFINITY);
  }
}
