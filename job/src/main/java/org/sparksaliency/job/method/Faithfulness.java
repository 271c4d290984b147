package org.sparksaliency.job.method;

/**
 * One heatmap's deletion and insertion curves (Petsiuk et al. 2018): the target's softmax
 * probability after replacing (deletion) or revealing (insertion) the first k/K of the pixels in
 * saliency order, k = 0..K. Either curve is null when it was not asked for.
 *
 * @param deletion K + 1 probabilities, from the image itself to the all-baseline image
 * @param insertion K + 1 probabilities, from the blurred image to the image itself
 */
public record Faithfulness(double[] deletion, double[] insertion) {

  /** Area under the deletion curve over the fraction axis [0, 1]; null without a deletion curve. */
  public Double deletionAuc() {
    return deletion == null ? null : auc(deletion);
  }

  /**
   * Area under the insertion curve over the fraction axis [0, 1]; null without an insertion curve.
   */
  public Double insertionAuc() {
    return insertion == null ? null : auc(insertion);
  }

  /** Trapezoid rule over K equal steps of 1/K: (p0/2 + p1 + ... + p(K-1) + pK/2) / K. */
  public static double auc(double[] curve) {
    if (curve.length < 2) {
      throw new IllegalArgumentException(
          "Cannot integrate a curve of " + curve.length + " points: at least 2");
    }
    int k = curve.length - 1;
    double sum = 0;
    for (int i = 0; i < k; i++) {
      sum += (curve[i] + curve[i + 1]) / 2;
    }
    return sum / k;
  }
}
