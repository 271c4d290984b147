package org.sparksaliency.job.method;

import java.util.Map;
import java.util.OptionalInt;

/**
 * What the model owner returns for one (image, target class).
 *
 * @param prediction the model's output for the image
 * @param target the class the maps explain
 * @param targetRank the rank of {@code target} that was asked for (1 = the top class, {@code
 *     --target predicted} or {@code top:K}), or {@link #NO_RANK} when the class itself was asked
 *     for ({@code label}, {@code class:...})
 * @param maps method name to its map at model-input resolution (imageSize × imageSize, row-major)
 * @param completenessErrors method name to sum(attribution) − (f(x) − f(baseline)) of the target
 *     logit, for the methods that have one (integrated_gradients)
 * @param faithfulness method name to its deletion/insertion curves, with --evaluate (empty without)
 */
public record ImageExplanation(
    Prediction prediction,
    int target,
    int targetRank,
    Map<String, float[]> maps,
    Map<String, Double> completenessErrors,
    Map<String, Faithfulness> faithfulness) {

  /** The {@code targetRank} of a class asked for by index or label. */
  public static final int NO_RANK = 0;

  public ImageExplanation {
    if (targetRank < 0) {
      throw new IllegalArgumentException("Cannot explain a class of rank " + targetRank);
    }
    maps = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(maps));
    completenessErrors = Map.copyOf(completenessErrors);
    faithfulness = Map.copyOf(faithfulness);
  }

  /** A class asked for by index, without faithfulness curves. */
  public ImageExplanation(
      Prediction prediction,
      int target,
      Map<String, float[]> maps,
      Map<String, Double> completenessErrors) {
    this(prediction, target, NO_RANK, maps, completenessErrors, Map.of());
  }

  /** The asked-for rank of the target class; empty when the class itself was asked for. */
  public OptionalInt rank() {
    return targetRank == NO_RANK ? OptionalInt.empty() : OptionalInt.of(targetRank);
  }
}
