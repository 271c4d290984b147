package org.sparksaliency.job.method;

import java.io.Serializable;

/**
 * Faithfulness and sanity settings ({@code --evaluate}, {@code --evaluate-steps}, {@code --sanity-check},
 * {@code --sanity-layers}, {@code --sanity-images}); validated by {@code JobOptions}.
 *
 * @param deletion compute the deletion AUC of every heatmap
 * @param insertion compute the insertion AUC of every heatmap
 * @param steps K: the curves have K + 1 points, at fractions 0, 1/K, ..., 1 of the pixels
 * @param sanityCheck run the model-parameter randomisation test on a sample of images
 * @param sanityLayers how many parameterised layers, from the output down, the cascade randomises
 * @param sanityImages how many images the sanity check explains
 */
public record EvaluateOptions(
    boolean deletion, boolean insertion, int steps, boolean sanityCheck, int sanityLayers, int sanityImages)
    implements Serializable {

  /** Nothing evaluated: the defaults of a run without --evaluate or --sanity-check. */
  public static final EvaluateOptions NONE = new EvaluateOptions(false, false, 16, false, 1, 16);

  public EvaluateOptions {
    if (steps < 1) {
      throw new IllegalArgumentException("Cannot evaluate in " + steps + " steps: at least 1");
    }
    if (sanityLayers < 1 || sanityImages < 1) {
      throw new IllegalArgumentException(
          String.format("Cannot sanity-check %d layers on %d images: both at least 1", sanityLayers, sanityImages));
    }
  }

  /** Whether any deletion or insertion curve is computed. */
  public boolean curves() {
    return deletion || insertion;
  }

  public EvaluateOptions withCurves(boolean deletion, boolean insertion, int steps) {
    return new EvaluateOptions(deletion, insertion, steps, sanityCheck, sanityLayers, sanityImages);
  }

  public EvaluateOptions withSanity(boolean on, int layers, int images) {
    return new EvaluateOptions(deletion, insertion, steps, on, layers, images);
  }
}
