package org.sparksaliency.job.config;

import static org.sparksaliency.job.config.JobOptions.*;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.sparksaliency.job.method.EvaluateOptions;
import org.sparksaliency.job.method.ExplainConfig;
import org.sparksaliency.job.method.MethodOptions;
import org.sparksaliency.job.method.MethodRegistry;
import org.sparksaliency.job.method.Target;
import org.sparksaliency.job.model.Coalescing;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.option.Settings;

/**
 * Turns option text into the validated configuration records, checking what spans several options.
 */
final class ConfigBuilder {
  private ConfigBuilder() {}

  static JobConfig job(Map<String, String> given) {
    Settings s = Settings.read(ALL, given);
    InputConfig input =
        new InputConfig(
            s.get(INPUT),
            s.get(INPUT_GLOB),
            s.find(LABELS),
            s.find(MANIFEST),
            s.get(MAX_FILE_BYTES),
            s.get(MAX_PIXELS),
            s.get(MAX_QUARANTINE_RATIO));
    ModelConfig model = model(s);
    ExplainConfig explain = explain(s);
    if (explain.target().needsLabel() && input.manifest().isEmpty()) {
      throw ConfigException.of(TARGET.name(), "'label' needs --manifest with a label per image");
    }
    checkClassNames(explain.target(), input.labels().isPresent());
    OutputConfig output =
        new OutputConfig(
            s.get(OUTPUT),
            runId(s),
            s.get(PARTITIONS),
            s.get(INCREMENTAL),
            s.get(OutputConfig.OUTPUT_FORMAT),
            s.find(OutputConfig.OUTPUT_TABLE));
    ReportConfig report =
        new ReportConfig(
            s.get(ReportConfig.REPORT),
            s.get(ReportConfig.REPORT_COLORMAP),
            s.get(ReportConfig.REPORT_IMAGES),
            s.get(ReportConfig.REPORT_CLASSES));
    ProgressConfig progress =
        new ProgressConfig(s.get(ProgressConfig.QUIET), s.get(ProgressConfig.PROGRESS_INTERVAL));
    return new JobConfig(input, model, explain, output, s.find(MASTER), report, progress, s);
  }

  static DatasetConfig dataset(Map<String, String> given) {
    for (String key : given.keySet()) {
      if (named(key).scope() != Option.Scope.DATASET) {
        throw ConfigException.of(key, "it does not apply to a Dataset explained from code");
      }
    }
    Settings s = Settings.read(JobOptions.dataset(), given);
    ExplainConfig explain = explain(s);
    checkClassNames(explain.target(), s.find(LABELS).isPresent());
    return new DatasetConfig(
        model(s),
        explain,
        s.find(LABELS),
        s.get(MAX_FILE_BYTES),
        s.get(MAX_PIXELS),
        runId(s),
        s.get(PARTITIONS));
  }

  private static ModelConfig model(Settings s) {
    return new ModelConfig(
        s.get(MODEL),
        s.find(MODEL_SHA256).map(v -> v.toLowerCase(Locale.ROOT)),
        s.get(TORCH_THREADS),
        s.get(ENGINE_CHECK),
        new Coalescing(s.get(Coalescing.COALESCE), s.get(Coalescing.COALESCE_WAIT_MS)));
  }

  private static ExplainConfig explain(Settings s) {
    List<String> methods = s.get(METHODS);
    int imageSize = s.get(IMAGE_SIZE);
    MethodOptions options = MethodOptions.of(s);
    MethodRegistry.check(options, imageSize, methods);
    return new ExplainConfig(
        methods,
        imageSize,
        floats(s.get(MEAN)),
        floats(s.get(STD)),
        s.get(BATCH_SIZE),
        s.get(MICRO_BATCH_SIZE),
        s.get(HEATMAP_SIZE),
        s.get(TARGET),
        options,
        s.declares(LAYER_STATS) && s.get(LAYER_STATS),
        EvaluateOptions.of(s),
        ResizeOptions.resize(s, imageSize));
  }

  /**
   * Classes named in {@code class:...} need a labels file; whether it holds them is checked once it
   * is read ({@link Target#classIndices}).
   */
  private static void checkClassNames(Target target, boolean labels) {
    List<String> names = target.classNames();
    if (!names.isEmpty() && !labels) {
      throw ConfigException.of(
          TARGET.name(),
          "'%s' names classes (%s), which needs --labels (or give class indices)",
          target.code(),
          String.join(", ", names));
    }
  }

  private static String runId(Settings s) {
    return s.find(RUN_ID_OPTION)
        .orElseGet(() -> "run-" + UUID.randomUUID().toString().substring(0, 8));
  }

  /** An R,G,B option's value as the configuration records hold it. */
  static float[] floats(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
