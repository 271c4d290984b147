package org.sparksaliency.job.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Softmax and top-k of a row of logits, for ordinary and for tiny logits. */
class PredictionTest {

  @Test
  void ranksClassesByTheirProbabilities() {
    Prediction p = Prediction.fromLogits(new float[] {0.5f, 2f, -1f, 1f}, 3);
    assertThat(p.topClasses()).containsExactly(1, 3, 0);
    assertThat(p.predicted()).isEqualTo(1);
    double sum = 0;
    for (float v : p.probabilities()) {
      sum += v;
    }
    assertThat(sum).isCloseTo(1.0, within(1e-6));
    assertThat(p.topScores()[0]).isEqualTo(p.probabilities()[1]);
  }

  @Test
  void tinyLogitsStillRankByLogitThoughTheirFloatProbabilitiesTie() {
    // Logits scaled by 1e-12: every probability is 1/3 to float32, yet class 1 is the most
    // probable.
    float[] logits = {1e-12f, 3e-12f, 2e-12f};
    Prediction p = Prediction.fromLogits(logits, 3);
    assertThat(p.probabilities()).containsOnly(1f / 3);
    assertThat(p.topClasses()).containsExactly(1, 2, 0);
    assertThat(p.predicted()).isEqualTo(1);
    assertThat(p.finite()).isTrue();
    // Equal logits keep the lower index first.
    assertThat(Prediction.fromLogits(new float[] {0f, 0f, -1f}, 2).topClasses())
        .containsExactly(0, 1);
  }
}
