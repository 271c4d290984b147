package org.sparksaliency.job.output;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.sparksaliency.job.config.JobConfig;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.io.Redaction;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.option.ParamKind;
import org.sparksaliency.job.option.Settings;

/** The content of {@code runs/<run_id>/run.json}, which {@link RunReport} writes. */
public final class RunJson {
  private RunJson() {}

  /**
   * run.json of a finished run: its configuration, settings, versions, counts, timings and engine
   * verdicts.
   */
  public static Map<String, Object> of(SparkSession spark, JobConfig config, RunSummary s) {
    Map<String, Object> r = RunReport.ordered();
    r.put("run_id", s.runId());
    r.put("model_id", s.modelId());
    Map<String, Object> cfg = RunReport.ordered();
    Settings settings = config.settings();
    for (Option<?> o : JobOptions.ALL) {
      if (o != JobOptions.CONFIG) {
        Object value = settings.json(o);
        if (value == null && o.type().kind() == ParamKind.TEXT_LIST) {
          value = List.of(); // an unset list (--evaluate) is empty, as before
        }
        cfg.put(o.key(), JobOptions.URIS.contains(o) ? Redaction.uri((String) value) : value);
      }
    }
    cfg.put("method_params", MethodParams.byMethod(config.explain()));
    r.put("config", cfg);
    r.put("spark_conf", RunReport.sparkConf(spark));
    r.put("hadoop_conf", RunReport.hadoopConf(spark.sparkContext().hadoopConfiguration()));
    Map<String, Object> versions = RunReport.ordered();
    versions.put("spark", spark.version());
    versions.put("djl", ai.djl.engine.Engine.getDjlVersion());
    versions.put("java", System.getProperty("java.version"));
    versions.put("spark_saliency", RunJson.class.getPackage().getImplementationVersion());
    r.put("versions", versions);
    Map<String, Object> counts = RunReport.ordered();
    counts.put("input_files", s.inputFiles());
    counts.put("skipped_by_glob", s.skippedFiles());
    counts.put("skipped_examples", s.skippedExamples());
    counts.put("heatmaps_by_method", s.heatmapsByMethod());
    counts.put("quarantined_files", s.quarantinedFiles());
    counts.put("quarantine_by_reason", s.quarantinedByReason());
    counts.put("pointing_accuracy_by_method", s.pointingByMethod());
    counts.put("quarantine_ratio", QuarantineRatioCheck.ratio(s));
    counts.put(
        "quarantine_ratio_exceeded",
        QuarantineRatioCheck.ratio(s) > config.input().maxQuarantineRatio());
    counts.put("images_explained", s.imagesExplained());
    counts.put("images_reused", s.imagesReused());
    r.put("counts", counts);
    Map<String, Object> engine = RunReport.ordered();
    engine.put("mode", config.model().engineCheck().code());
    engine.put("verdicts", s.engineVerdictCounts());
    engine.put("checks", s.engineVerdicts());
    r.put("engine_check", engine);
    Map<String, Object> timings = RunReport.ordered();
    timings.put("explain_and_write_heatmaps_seconds", s.explainSeconds());
    timings.put("total_seconds", s.totalSeconds());
    timings.put("images_per_second", s.imagesPerSecond());
    r.put("timings", timings);
    return r;
  }
}
