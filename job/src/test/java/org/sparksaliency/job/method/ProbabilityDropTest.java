package org.sparksaliency.job.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

/** The fall of a softmax probability, against a 40-digit computation, for small and large falls. */
class ProbabilityDropTest {
  private static final MathContext DIGITS = new MathContext(40);

  /**
   * p_t(z) in 40 digits: 1 / sum_c exp(z_c − z_t), exp by its series (the arguments here are
   * small).
   */
  private static BigDecimal probability(float[] z, int t) {
    BigDecimal sum = BigDecimal.ZERO;
    for (float v : z) {
      sum = sum.add(exp(new BigDecimal(v).subtract(new BigDecimal(z[t]))));
    }
    return BigDecimal.ONE.divide(sum, DIGITS);
  }

  private static BigDecimal exp(BigDecimal x) {
    BigDecimal term = BigDecimal.ONE;
    BigDecimal sum = BigDecimal.ONE;
    for (int k = 1; k < 200; k++) {
      term = term.multiply(x, DIGITS).divide(BigDecimal.valueOf(k), DIGITS);
      sum = sum.add(term, DIGITS);
    }
    return sum;
  }

  private static double exact(float[] a, float[] b, int t) {
    return probability(a, t).subtract(probability(b, t)).doubleValue();
  }

  @Test
  void tinyFallsKeepTheirDigits() {
    // Logits scaled by 1e-12: both probabilities are ≈ 1/3 and differ by ~1e-13.
    float[] a = {1.3e-12f, -0.4e-12f, 0.2e-12f};
    float[] b = {0.9e-12f, -0.1e-12f, 0.3e-12f};
    double expected = exact(a, b, 0);
    assertThat(Math.abs(expected)).isBetween(1e-14, 1e-12);
    assertThat(ProbabilityDrop.of(a, b, 0)).isCloseTo(expected, within(1e-9 * Math.abs(expected)));
    // What subtracting the two double probabilities gives: about 1e-3 of the fall off.
    double naive = ProbabilityDrop.softmax(a)[0] - ProbabilityDrop.softmax(b)[0];
    assertThat(Math.abs(naive - expected)).isGreaterThan(1e-6 * Math.abs(expected));
  }

  @Test
  void largeFallsAndExtremeLogitsStayFinite() {
    float[] a = {2f, -1f, 0.5f};
    float[] b = {-1f, 3f, 0.5f};
    assertThat(ProbabilityDrop.of(a, b, 0)).isCloseTo(exact(a, b, 0), within(1e-15));
    assertThat(ProbabilityDrop.of(b, a, 0)).isCloseTo(-exact(a, b, 0), within(1e-15));
    // A target far below the others: both probabilities underflow to 0, never 0 × ∞.
    float[] far = {-1e30f, 1e30f, 0f};
    float[] farther = {-3e38f, 3e38f, 0f};
    assertThat(ProbabilityDrop.of(far, farther, 0)).isZero();
    assertThat(ProbabilityDrop.of(farther, far, 1)).isZero();
    assertThat(ProbabilityDrop.of(a, a, 2)).isZero();
  }
}
