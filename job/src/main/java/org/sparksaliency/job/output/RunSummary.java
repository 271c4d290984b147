package org.sparksaliency.job.output;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run did, for the summary line and run.json.
 *
 * @param heatmapsByMethod heatmap rows of the run per method (with --incremental, kept and new)
 * @param imagesExplained images the model explained in this run
 * @param imagesReused images not explained again because all their heatmaps were kept from an
 *     earlier run
 * @param skippedFiles files under --input that --input-glob did not select (never read)
 * @param skippedExamples up to five of their paths
 * @param engineVerdicts the engine self-check verdicts of the executors that explained images (see
 *     {@link org.sparksaliency.job.model.EngineVerdict#toMap}); empty when no image reached the
 *     model
 */
public record RunSummary(
    String runId,
    String output,
    String modelId,
    long inputFiles,
    Map<String, Long> heatmapsByMethod,
    Map<String, Long> quarantinedByReason,
    long quarantinedFiles,
    long imagesExplained,
    long imagesReused,
    double explainSeconds,
    double totalSeconds,
    Map<String, Double> pointingByMethod,
    long skippedFiles,
    List<String> skippedExamples,
    List<Map<String, Object>> engineVerdicts) {

  public RunSummary {
    skippedExamples = List.copyOf(skippedExamples);
    engineVerdicts = List.copyOf(engineVerdicts);
  }

  /** The verdicts' codes, each with how many (executor, check) pairs reached it, by code. */
  public Map<String, Long> engineVerdictCounts() {
    Map<String, Long> out = new TreeMap<>();
    for (Map<String, Object> v : engineVerdicts) {
      out.merge(String.valueOf(v.get("verdict")), 1L, Long::sum);
    }
    return out;
  }

  public double imagesPerSecond() {
    return explainSeconds > 0 ? imagesExplained / explainSeconds : 0;
  }
}
