package org.sparksaliency.job.method;

import java.io.Serializable;
import java.util.List;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.option.OptionType;
import org.sparksaliency.job.option.Settings;

/**
 * Faithfulness and sanity settings ({@code --evaluate}, {@code --evaluate-steps}, {@code
 * --sanity-check}, {@code --sanity-layers}, {@code --sanity-images}); validated by {@code
 * JobOptions}.
 *
 * @param deletion compute the deletion AUC of every heatmap
 * @param insertion compute the insertion AUC of every heatmap
 * @param steps K: the curves have K + 1 points, at fractions 0, 1/K, ..., 1 of the pixels
 * @param sanityCheck run the model-parameter randomisation test on a sample of images
 * @param sanityLayers how many parameterised layers, from the output down, the cascade randomises
 * @param sanityImages how many images the sanity check explains
 */
public record EvaluateOptions(
    boolean deletion,
    boolean insertion,
    int steps,
    boolean sanityCheck,
    int sanityLayers,
    int sanityImages)
    implements Serializable {

  /** Faithfulness curves per heatmap (deletion_auc, insertion_auc columns). */
  public static final Option<List<String>> CURVES =
      Option.optional(
          "evaluate",
          OptionType.names("curve", List.of("deletion", "insertion"), true),
          Option.Scope.DATASET,
          "comma list of faithfulness curves per heatmap: deletion, insertion (deletion_auc, insertion_auc columns)");

  /** K steps, K + 1 forward passes per curve. */
  public static final Option<Integer> STEPS =
      Option.of(
          "evaluate-steps",
          OptionType.integer(1, 1024),
          "16",
          Option.Scope.DATASET,
          "--evaluate: K steps, K + 1 forward passes per curve");

  /** The model-parameter randomisation test. */
  public static final Option<Boolean> SANITY_CHECK =
      Option.of(
          "sanity-check",
          OptionType.bool(),
          "false",
          Option.Scope.RUN,
          "also write sanity/ and sanity_verdicts/: model-parameter randomisation test on a sample of images");

  /** Parameterised layers the cascade randomises, from the output down. */
  public static final Option<Integer> SANITY_LAYERS =
      Option.of(
          "sanity-layers",
          OptionType.integer(1, 1000),
          "1",
          Option.Scope.RUN,
          "--sanity-check: randomise 1..N parameterised layers from the output down");

  /** Images in the sanity check's seeded sample. */
  public static final Option<Integer> SANITY_IMAGES =
      Option.of(
          "sanity-images",
          OptionType.integer(1, 10_000),
          "16",
          Option.Scope.RUN,
          "--sanity-check: images in the seeded sample");

  /** The evaluation options among {@code settings} (sanity ones only where declared, else off). */
  public static EvaluateOptions of(Settings settings) {
    List<String> curves = settings.find(CURVES).orElse(List.of());
    boolean sanity = settings.declares(SANITY_CHECK) && settings.get(SANITY_CHECK);
    return new EvaluateOptions(
        curves.contains("deletion"),
        curves.contains("insertion"),
        settings.get(STEPS),
        sanity,
        settings.declares(SANITY_LAYERS) ? settings.get(SANITY_LAYERS) : NONE.sanityLayers(),
        settings.declares(SANITY_IMAGES) ? settings.get(SANITY_IMAGES) : NONE.sanityImages());
  }

  /** Nothing evaluated: the options' declared defaults (no curves, no sanity check). */
  public static final EvaluateOptions NONE =
      of(Settings.defaults(List.of(CURVES, STEPS, SANITY_CHECK, SANITY_LAYERS, SANITY_IMAGES)));

  public EvaluateOptions {
    if (steps < 1) {
      throw new IllegalArgumentException("Cannot evaluate in " + steps + " steps: at least 1");
    }
    if (sanityLayers < 1 || sanityImages < 1) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot sanity-check %d layers on %d images: both at least 1",
              sanityLayers, sanityImages));
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
