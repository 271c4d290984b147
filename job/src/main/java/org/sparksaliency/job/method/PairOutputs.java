package org.sparksaliency.job.method;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What the methods give the (image, target) pairs of a batch, filled in method by method: maps,
 * completeness errors and deletion/insertion curves.
 */
final class PairOutputs {
  private final List<Map<String, float[]>> maps;
  private final List<Map<String, Double>> errors;
  private final List<Map<String, Faithfulness>> curves;

  PairOutputs(int pairs) {
    maps = new ArrayList<>(pairs);
    errors = new ArrayList<>(pairs);
    curves = new ArrayList<>(pairs);
    for (int i = 0; i < pairs; i++) {
      maps.add(new LinkedHashMap<>());
      errors.add(new LinkedHashMap<>());
      curves.add(new LinkedHashMap<>());
    }
  }

  /**
   * The maps (given at the heatmap grid) and completeness errors of {@code method}'s plan, which
   * has run.
   */
  void add(String method, SamplePlan plan, float[][] gridMaps) {
    for (int i = 0; i < maps.size(); i++) {
      maps.get(i).put(method, gridMaps[i]);
      OptionalDouble e = plan.completenessError(i);
      if (e.isPresent()) {
        errors.get(i).put(method, e.getAsDouble());
      }
    }
  }

  /** The curves of {@code method}'s maps, whose plan has run. */
  void addCurves(String method, FaithfulnessPlan faithfulness) {
    for (int i = 0; i < curves.size(); i++) {
      curves.get(i).put(method, faithfulness.curves(i));
    }
  }

  /** Pair {@code p}'s explanation. */
  ImageExplanation explanation(int p, Prediction prediction, int target, int rank) {
    return new ImageExplanation(
        prediction, target, rank, maps.get(p), errors.get(p), curves.get(p));
  }
}
