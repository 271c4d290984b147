package org.sparksaliency.job.method;

import java.util.Map;

/**
 * What the model owner returns for one image.
 *
 * @param prediction the model's output
 * @param target the class the maps explain
 * @param maps method name to its map at model-input resolution (imageSize × imageSize, row-major)
 * @param completenessErrors method name to sum(attribution) − (f(x) − f(baseline)) of the target
 *     logit, for the methods that have one (integrated_gradients)
 * @param faithfulness method name to its deletion/insertion curves, with --evaluate (empty without)
 */
public record ImageExplanation(
    Prediction prediction,
    int target,
    Map<String, float[]> maps,
    Map<String, Double> completenessErrors,
    Map<String, Faithfulness> faithfulness) {

  public ImageExplanation {
    maps = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(maps));
    completenessErrors = Map.copyOf(completenessErrors);
    faithfulness = Map.copyOf(faithfulness);
  }

  /** Without faithfulness curves. */
  public ImageExplanation(
      Prediction prediction,
      int target,
      Map<String, float[]> maps,
      Map<String, Double> completenessErrors) {
    this(prediction, target, maps, completenessErrors, Map.of());
  }

  /** Without completeness errors. */
  public ImageExplanation(Prediction prediction, int target, Map<String, float[]> maps) {
    this(prediction, target, maps, Map.of());
  }
}
