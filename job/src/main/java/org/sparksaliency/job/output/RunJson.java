package org.sparksaliency.job.output;


import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.sparksaliency.job.config.JobConfig;
import org.sparksaliency.job.io.Redaction;
import org.sparksaliency.job.output.RunReport;
import org.sparksaliency.job.method.EvaluateOptions;
import org.sparksaliency.job.method.SamplingOptions;

/** The content of {@code runs/<run_id>/run.json}, which {@link RunReport} writes. */
public final class RunJson {
  private RunJson() {}

  /** run.json of a finished run: its configuration, settings, versions, counts, timings and engine verdicts. */
  public static Map<String, Object> of(SparkSession spark, JobConfig config, RunSummary s) {
    Map<String, Object> r = RunReport.ordered();
    r.put("run_id", s.runId());
    r.put("model_id", s.modelId());
    Map<String, Object> cfg = RunReport.ordered();
    cfg.put("input", Redaction.uri(config.input().input()));
    cfg.put("input_glob", config.input().glob());
    cfg.put("model", Redaction.uri(config.model().model()));
    cfg.put("labels", Redaction.uri(config.input().labels().orElse(null)));
    cfg.put("manifest", Redaction.uri(config.input().manifest().orElse(null)));
    cfg.put("output", Redaction.uri(config.output().output()));
    cfg.put("methods", config.explain().methods());
    cfg.put("image_size", config.explain().imageSize());
    cfg.put("mean", config.explain().mean());
    cfg.put("std", config.explain().std());
    cfg.put("batch_size", config.explain().batchSize());
    cfg.put("micro_batch_size", config.explain().microBatchSize());
    cfg.put("heatmap_size", config.explain().heatmapSize());
    cfg.put("target", config.explain().target().code());
    cfg.put("rollout_head_fusion", config.explain().methodOptions().rolloutHeadFusion().code());
    cfg.put("rollout_discard", config.explain().methodOptions().rolloutDiscard());
    SamplingOptions sampling = config.explain().methodOptions().sampling();
    cfg.put("ig_steps", sampling.igSteps());
    cfg.put("ig_baseline", sampling.igBaseline().code());
    cfg.put("smoothgrad_samples", sampling.smoothGradSamples());
    cfg.put("smoothgrad_sigma", sampling.smoothGradSigma());
    cfg.put("seed", sampling.seed());
    cfg.put("occlusion_window", sampling.occlusionWindow(config.explain().imageSize()));
    cfg.put("occlusion_stride", sampling.occlusionStride(config.explain().imageSize()));
    cfg.put("rise_masks", sampling.riseMasks());
    cfg.put("rise_grid", sampling.riseGrid());
    cfg.put("rise_p", sampling.riseProbability());
    cfg.put("layer_stats", config.explain().layerStats());
    EvaluateOptions evaluate = config.explain().evaluate();
    List<String> curves = new ArrayList<>();
    if (evaluate.deletion()) {
      curves.add("deletion");
    }
    if (evaluate.insertion()) {
      curves.add("insertion");
    }
    cfg.put("evaluate", curves);
    cfg.put("evaluate_steps", evaluate.steps());
    cfg.put("sanity_check", evaluate.sanityCheck());
    cfg.put("sanity_layers", evaluate.sanityLayers());
    cfg.put("sanity_images", evaluate.sanityImages());
    cfg.put("max_file_bytes", config.input().maxFileBytes());
    cfg.put("max_pixels", config.input().maxPixels());
    cfg.put("torch_threads", config.model().torchThreads());
    cfg.put("engine_check", config.model().engineCheck().code());
    cfg.put("max_quarantine_ratio", config.input().maxQuarantineRatio());
    cfg.put("incremental", config.output().incremental());
    cfg.put("report", config.report().enabled());
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
    counts.put("quarantine_ratio_exceeded", QuarantineRatioCheck.ratio(s) > config.input().maxQuarantineRatio());
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
