package org.sparksaliency.job.method;

import java.io.Serializable;

/**
 * The model's output for one image.
 *
 * @param topClasses the most probable class indices (as many as asked for, at most the number of
 *     classes), most probable first
 * @param topScores their softmax probabilities
 * @param probabilities softmax over all classes
 */
public record Prediction(int[] topClasses, float[] topScores, float[] probabilities)
    implements Serializable {

  /**
   * Softmax and top-k of one row of logits. Classes are ranked by their logits, not by the float
   * probabilities: logits that differ by less than float32's resolution of their probabilities (any
   * logits of magnitude ~1e-8 and below: every probability is then ≈ 1/K) would otherwise tie and
   * rank by index.
   */
  public static Prediction fromLogits(float[] logits, int k) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] e = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      e[i] = Math.exp(logits[i] - max);
      sum += e[i];
    }
    float[] p = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      p[i] = (float) (e[i] / sum);
    }
    int n = Math.min(k, logits.length);
    Integer[] order = new Integer[logits.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(
        order,
        (a, b) ->
            Float.compare(logits[b], logits[a]) != 0 ? Float.compare(logits[b], logits[a]) : a - b);
    int[] top = new int[n];
    float[] scores = new float[n];
    for (int i = 0; i < n; i++) {
      top[i] = order[i];
      scores[i] = p[order[i]];
    }
    return new Prediction(top, scores, p);
  }

  /** The same with at most {@code n} top classes. */
  public Prediction limited(int n) {
    if (topClasses.length <= n) {
      return this;
    }
    return new Prediction(
        java.util.Arrays.copyOf(topClasses, n),
        java.util.Arrays.copyOf(topScores, n),
        probabilities);
  }

  /** The most probable class. */
  public int predicted() {
    return topClasses[0];
  }

  /** Whether every logit was finite. */
  public boolean finite() {
    for (float v : probabilities) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }
}
