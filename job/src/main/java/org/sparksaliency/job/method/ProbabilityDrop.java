package org.sparksaliency.job.method;

/**
 * p_t(a) − p_t(b): how much the softmax probability of class t falls from logits a to logits b,
 * accurate to the logits' own precision however small the fall.
 *
 * <p>Subtracting the two probabilities loses what they share: with logits scaled by 1e-12 both are
 * ≈ 1/K and differ by ~1e-13, so a double's 1e-16 rounding leaves 3 or 4 digits, and below 1e-16
 * none (the map becomes rounding noise). Written as p_t(b) · sum_c softmax_c(a) · expm1(δ_c), with
 * δ_c = (b_c − b_t) − (a_c − a_t) (as p_t(a) − p_t(b) = p_t(a) p_t(b) (S(b) − S(a)), S(z) = sum_c
 * exp(z_c − z_t)), it keeps the relative precision of the logit differences. It is bounded by 1.72
 * when every |δ_c| ≤ 1; for larger changes the probabilities differ by much more than their
 * rounding and are subtracted directly.
 */
final class ProbabilityDrop {
  private ProbabilityDrop() {}

  static double of(float[] a, float[] b, int t) {
    double[] qa = softmax(a);
    double sum = 0;
    for (int c = 0; c < a.length; c++) {
      double delta = ((double) b[c] - b[t]) - ((double) a[c] - a[t]);
      if (!(Math.abs(delta) <= 1)) {
        return qa[t] - softmax(b)[t];
      }
      sum += qa[c] * Math.expm1(delta);
    }
    return softmax(b)[t] * sum;
  }

  /** Softmax in double precision, shifted by the largest logit so that no exponential overflows. */
  static double[] softmax(float[] z) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : z) {
      max = Math.max(max, v);
    }
    double[] e = new double[z.length];
    double sum = 0;
    for (int c = 0; c < z.length; c++) {
      e[c] = Math.exp(z[c] - max);
      sum += e[c];
    }
    for (int c = 0; c < z.length; c++) {
      e[c] /= sum;
    }
    return e;
  }
}
