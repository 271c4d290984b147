package org.sparksaliency.job.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MidpointRuleTest {

  @Test
  void pointsAreTheMidpointsOfNEqualCells() {
    assertThat(MidpointRule.point(0, 4)).isEqualTo(0.125);
    assertThat(MidpointRule.point(3, 4)).isEqualTo(0.875);
    assertThat(MidpointRule.weight(4)).isEqualTo(0.25);
    assertThatThrownBy(() -> MidpointRule.point(4, 4)).hasMessage("Cannot place midpoint 4 of 4");
  }

  @Test
  void exactForLinearFunctions() {
    for (int n : new int[] {1, 2, 7, 32}) {
      assertThat(MidpointRule.integrate(t -> 3 * t - 1.25, n)).isCloseTo(1.5 - 1.25, within(1e-15));
    }
  }

  @Test
  void errorOnASquareIsMinusOneOverTwelveNSquared() {
    // sum_k ((k + 1/2)/n)^2 / n = 1/3 − 1/(12 n²): pins down both the points and the weights.
    for (int n : new int[] {1, 3, 8, 32, 100}) {
      assertThat(MidpointRule.integrate(t -> t * t, n) - 1.0 / 3)
          .isCloseTo(-1.0 / (12.0 * n * n), within(1e-15));
    }
  }
}
