package org.sparksaliency.job.output;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sparksaliency.job.method.ExplainConfig;
import org.sparksaliency.job.model.EngineVerdict;

/**
 * The {@code method_params} column: every setting that changes a method's heatmap, as one canonical
 * string ({@code key=value} pairs sorted by key, joined by {@code ;}, floats in Java's shortest
 * round-trip form). {@code --incremental} keeps an earlier heatmap only when this string is equal,
 * so a setting that changes the numbers must be listed here; batch sizes are not (they change
 * nothing but float rounding). The heatmaps table's rows end with {@code ;engine_check=<verdict>}:
 * the executor's engine self-check verdict they were computed under ({@code passed}, or {@code
 * one_sample_passes} after a fallback), known only on the executor.
 */
public final class MethodParams {
  private MethodParams() {}

  /** The canonical parameter string of {@code method} under {@code explain}. */
  public static String of(ExplainConfig explain, String method) {
    if (!explain.methods().contains(method)) {
      throw new IllegalArgumentException(
          "Cannot describe the parameters of method '"
              + method
              + "': it is not one of "
              + explain.methods());
    }
    Map<String, String> p = new TreeMap<>();
    p.put("image_size", Integer.toString(explain.imageSize()));
    p.putAll(explain.resize().params());
    p.put("mean", floats(explain.mean()));
    p.put("std", floats(explain.std()));
    p.put("heatmap_size", Integer.toString(explain.heatmapSize()));
    p.put("target", explain.target().code());
    p.putAll(explain.methodOptions().paramsOf(method, explain.imageSize()));
    List<String> pairs = new ArrayList<>();
    p.forEach((k, v) -> pairs.add(k + "=" + v));
    return String.join(";", pairs);
  }

  /** The key of the engine verdict, the last pair of a heatmap row's method_params. */
  public static final String ENGINE_CHECK = "engine_check";

  /** {@code byMethod} with the engine verdict appended to each method's string. */
  public static Map<String, String> withEngineVerdict(
      Map<String, String> byMethod, EngineVerdict.Status verdict) {
    Map<String, String> out = new LinkedHashMap<>();
    byMethod.forEach((m, p) -> out.put(m, p + ";" + ENGINE_CHECK + "=" + verdict.code()));
    return out;
  }

  /** The parameter string of every configured method, in --methods order. */
  public static Map<String, String> byMethod(ExplainConfig explain) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String m : explain.methods()) {
      out.put(m, of(explain, m));
    }
    return out;
  }

  private static String floats(float[] values) {
    List<String> parts = new ArrayList<>();
    for (float v : values) {
      parts.add(Float.toString(v));
    }
    return String.join(",", parts);
  }
}
