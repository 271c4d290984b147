package org.sparksaliency.job.config;

import static org.sparksaliency.job.option.Option.Scope.DATASET;
import static org.sparksaliency.job.option.Option.Scope.RUN;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.sparksaliency.job.method.EvaluateOptions;
import org.sparksaliency.job.method.MethodRegistry;
import org.sparksaliency.job.method.Target;
import org.sparksaliency.job.model.Coalescing;
import org.sparksaliency.job.model.EngineCheckMode;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.option.OptionType;
import org.sparksaliency.job.option.StructuredType;

/**
 * The option catalogue of {@code bin/saliency run}: the options of the whole run are declared here,
 * each method's own next to its code ({@link MethodRegistry#options()}), the evaluation ones in
 * {@link EvaluateOptions}, resizing in {@link ResizeOptions}. The command line, YAML, --help, the
 * Java API's builder, the Spark ML transformer's params, run.json, method_params and
 * docs/options.md all derive from {@link #ALL}.
 */
public final class JobOptions {

  public static final Option<String> CONFIG =
      Option.optional(
          "config",
          OptionType.text("file", (o, v) -> {}),
          RUN,
          "YAML file with any of these keys; flags override it");
  public static final Option<String> INPUT =
      Option.required(
          "input",
          ValueChecks.TYPE,
          RUN,
          "folder (recursive) or glob of images: path, file:, s3a:, hdfs:");
  public static final Option<String> INPUT_GLOB =
      Option.of(
          "input-glob",
          OptionType.text("glob", ValueChecks::checkGlob),
          "*.{jpg,jpeg,png,bmp,gif,tif,tiff,webp,JPG,JPEG,PNG,BMP,GIF,TIF,TIFF,WEBP}",
          RUN,
          "file-name glob selecting images inside --input");
  public static final Option<String> MODEL =
      Option.required("model", ValueChecks.TYPE, DATASET, "TorchScript model file URI");
  public static final Option<String> MODEL_SHA256 =
      Option.optional(
          "model-sha256",
          OptionType.text("64 hex digits", ValueChecks::checkSha256),
          DATASET,
          "expected sha-256 of the model file (hex); mismatch fails the run");
  public static final Option<String> LABELS =
      Option.optional(
          "labels", ValueChecks.TYPE, DATASET, "class names, one per line, in class-index order");
  public static final Option<String> MANIFEST =
      Option.optional(
          "manifest",
          ValueChecks.TYPE,
          RUN,
          "CSV path,label[,x0,y0,x1,y1] (box in original-image pixels)");
  public static final Option<String> OUTPUT =
      Option.required("output", ValueChecks.TYPE, RUN, "output folder URI");
  public static final Option<List<String>> METHODS =
      Option.of(
          "methods",
          OptionType.names("method", MethodRegistry.names(), false),
          "gradient,gradcam",
          DATASET,
          "comma list of: " + String.join(", ", MethodRegistry.names()));
  public static final Option<Integer> IMAGE_SIZE =
      Option.of(
          "image-size", OptionType.integer(8, 4096), "224", DATASET, "model input size N (N x N)");
  public static final Option<List<Float>> MEAN =
      Option.of(
          "mean",
          OptionType.rgb(false),
          "0.485,0.456,0.406",
          DATASET,
          "per-channel RGB mean after scaling to [0,1]");
  public static final Option<List<Float>> STD =
      Option.of("std", OptionType.rgb(true), "0.229,0.224,0.225", DATASET, "per-channel RGB std");
  public static final Option<Integer> BATCH_SIZE =
      Option.of(
          "batch-size", OptionType.integer(1, 65536), "16", DATASET, "images per model batch");
  public static final Option<Integer> MICRO_BATCH_SIZE =
      Option.of(
          "micro-batch-size",
          OptionType.integer(1, 65536),
          "16",
          DATASET,
          "most samples in one forward/backward pass");
  public static final Option<Integer> HEATMAP_SIZE =
      Option.of(
          "heatmap-size",
          OptionType.integer(1, 4096),
          "56",
          DATASET,
          "stored heatmap grid N (N x N)");
  public static final Option<Target> TARGET =
      Option.of(
          "target",
          StructuredType.of(Target.FORMS, Target::parse, Target::code),
          "predicted",
          DATASET,
          "classes to explain, one heatmap row per (image, method, class): predicted (top:1),"
              + " label (the manifest's), top:K (the K most probable), class:C1,C2,... (indices, or"
              + " names of --labels)");
  public static final Option<String> MASTER =
      Option.optional(
          "master",
          OptionType.text("Spark master URL", (o, v) -> {}),
          RUN,
          "Spark master when not run by spark-submit (default local[*])");
  public static final Option<String> RUN_ID_OPTION =
      Option.optional(
          "run-id",
          OptionType.text("run id", ValueChecks::checkRunId),
          DATASET,
          "run identifier (default: generated)");
  public static final Option<Integer> PARTITIONS =
      Option.of(
          "partitions",
          OptionType.integer(0, Integer.MAX_VALUE),
          "0",
          DATASET,
          "Spark partitions for model work (0: from file count)");
  public static final Option<Integer> TORCH_THREADS =
      Option.of(
          "torch-threads",
          OptionType.integer(0, Integer.MAX_VALUE),
          "0",
          DATASET,
          "intra-op threads of the model owner (0: executor cores)");
  public static final Option<EngineCheckMode> ENGINE_CHECK =
      Option.of(
          "engine-check",
          OptionType.choice("mode", EngineCheckMode::code, EngineCheckMode.values()),
          "fallback",
          DATASET,
          "when batched model passes disagree with one-sample passes on an executor: "
              + "fallback (one sample per pass, warn) | strict (fail the run)");
  public static final Option<Long> MAX_FILE_BYTES =
      Option.of(
          "max-file-bytes",
          OptionType.longInt(1, Long.MAX_VALUE),
          "268435456",
          DATASET,
          "larger files are quarantined as too_large");
  public static final Option<Long> MAX_PIXELS =
      Option.of(
          "max-pixels",
          OptionType.longInt(1, Long.MAX_VALUE),
          "50000000",
          DATASET,
          "larger images are quarantined as too_large");
  public static final Option<Double> MAX_QUARANTINE_RATIO =
      Option.of(
          "max-quarantine-ratio",
          OptionType.real(0, 1, true),
          "0.5",
          RUN,
          "fail the run (after writing everything) when a larger share of input files is quarantined");
  public static final Option<Boolean> LAYER_STATS =
      Option.of(
          "layer-stats",
          OptionType.bool(),
          "false",
          RUN,
          "also write layer_stats/ (per-layer weight gradients and activations by predicted class)");
  public static final Option<Boolean> INCREMENTAL =
      Option.of(
          "incremental",
          OptionType.bool(),
          "false",
          RUN,
          "keep heatmaps already in --output for unchanged images (same path, content, model and method"
              + " parameters) and explain only the others");

  /** The options holding a path or URI, which run.json and logs show with credentials redacted. */
  public static final List<Option<String>> URIS = List.of(INPUT, MODEL, LABELS, MANIFEST, OUTPUT);

  /**
   * Every option of {@code bin/saliency run}, in the order --help and docs/options.md list them.
   */
  public static final List<Option<?>> ALL = catalogue();

  private static final Map<String, Option<?>> BY_NAME =
      ALL.stream().collect(Collectors.toMap(Option::name, o -> o, (a, b) -> a, LinkedHashMap::new));

  private JobOptions() {}

  private static List<Option<?>> catalogue() {
    List<Option<?>> all =
        new ArrayList<>(
            List.of(
                CONFIG,
                INPUT,
                INPUT_GLOB,
                MODEL,
                MODEL_SHA256,
                LABELS,
                MANIFEST,
                OUTPUT,
                OutputConfig.OUTPUT_FORMAT,
                OutputConfig.OUTPUT_TABLE,
                METHODS,
                IMAGE_SIZE,
                ResizeOptions.RESIZE,
                ResizeOptions.RESIZE_SIZE,
                MEAN,
                STD,
                BATCH_SIZE,
                MICRO_BATCH_SIZE,
                HEATMAP_SIZE,
                TARGET));
    all.addAll(MethodRegistry.options());
    all.addAll(
        List.of(
            MASTER,
            RUN_ID_OPTION,
            PARTITIONS,
            TORCH_THREADS,
            ENGINE_CHECK,
            Coalescing.COALESCE,
            Coalescing.COALESCE_WAIT_MS,
            MAX_FILE_BYTES,
            MAX_PIXELS,
            MAX_QUARANTINE_RATIO,
            EvaluateOptions.CURVES,
            EvaluateOptions.STEPS,
            EvaluateOptions.SANITY_CHECK,
            EvaluateOptions.SANITY_LAYERS,
            EvaluateOptions.SANITY_IMAGES,
            LAYER_STATS,
            INCREMENTAL,
            ReportConfig.REPORT,
            ReportConfig.REPORT_COLORMAP,
            ReportConfig.REPORT_IMAGES,
            ReportConfig.REPORT_CLASSES,
            ProgressConfig.PROGRESS_INTERVAL,
            ProgressConfig.QUIET));
    return List.copyOf(all);
  }

  /**
   * The options that also apply to a Dataset explained from code (the Java API and the
   * transformer).
   */
  public static List<Option<?>> dataset() {
    return ALL.stream().filter(o -> o.scope() == Option.Scope.DATASET).toList();
  }

  /** The declared option of that name. */
  public static Option<?> named(String name) {
    Option<?> o = BY_NAME.get(name);
    if (o == null) {
      throw ConfigException.unknownOption(name, BY_NAME.keySet());
    }
    return o;
  }

  /**
   * Parses flags ({@code --name value} or {@code --name=value}), merging a {@code --config} file
   * under them.
   */
  public static JobConfig parse(String... args) {
    return ConfigBuilder.job(OptionSources.merge(args));
  }

  /** Validates a map of option name to text value; absent options take their defaults. */
  public static JobConfig build(Map<String, String> given) {
    return ConfigBuilder.job(given);
  }

  /**
   * Validates the options that apply when a Dataset of images is explained from code ({@link
   * #dataset()}), with the same defaults and checks as the command line.
   *
   * @throws ConfigException naming the first bad option; {@link ConfigException#option()} says
   *     which
   */
  public static DatasetConfig buildDataset(Map<String, String> given) {
    return ConfigBuilder.dataset(given);
  }
}
