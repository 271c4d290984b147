package org.sparksaliency.job.method;

import java.util.function.DoubleUnaryOperator;

/**
 * The Riemann midpoint rule on [0, 1] used by Integrated Gradients: n points (k + 1/2) / n, each of
 * weight 1/n. Exact for polynomials of degree 1; for x² its error is exactly −1/(12 n²); for a
 * function with a bounded second derivative the error is at most max|f''| / (24 n²). It never
 * evaluates the end points, where a ReLU network's path gradient is often at a kink.
 */
final class MidpointRule {
  private MidpointRule() {}

  /** Point k of n, in (0, 1). */
  static double point(int k, int n) {
    if (k < 0 || k >= n) {
      throw new IllegalArgumentException("Cannot place midpoint " + k + " of " + n);
    }
    return (k + 0.5) / n;
  }

  /** The weight of every point. */
  static double weight(int n) {
    return 1.0 / n;
  }

  /** sum_k weight(n) f(point(k, n)). */
  static double integrate(DoubleUnaryOperator f, int n) {
    double s = 0;
    for (int k = 0; k < n; k++) {
      s += weight(n) * f.applyAsDouble(point(k, n));
    }
    return s;
  }
}
