package org.sparksaliency.job.config;

import org.sparksaliency.job.method.ExplainConfig;
import org.sparksaliency.job.method.Target;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.sparksaliency.job.method.EvaluateOptions;
import org.sparksaliency.job.method.HeadFusion;
import org.sparksaliency.job.method.IgBaseline;
import org.sparksaliency.job.method.MethodOptions;
import org.sparksaliency.job.method.MethodRegistry;
import org.sparksaliency.job.method.SamplingOptions;
import org.sparksaliency.job.model.EngineCheckMode;
import org.sparksaliency.udf.Colormap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every option of {@code bin/saliency run}, its default and its validation, in one place. Values come
 * from a YAML file ({@code --config}) and from flags; a flag overrides the file. Unknown keys are
 * rejected. Validation happens here, on the driver, before any Spark work.
 */
public final class JobOptions {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
  // The run id names the tables' run_id=<id> folders. Spark infers a partition value's type from its text,
  // so an id that reads as a number or a date (2024-01-01, 42, NaN, Infinity) would come back as one:
  // ids start with a letter and are not NaN or Infinity.
  private static final Pattern RUN_ID = Pattern.compile("(?!NaN$|Infinity$)[A-Za-z][A-Za-z0-9._-]{0,127}");
  private static final long MAX_RISE_MASK_BYTES = 1L << 30;

  /** All options, in the order --help lists them. */
  public static final List<OptionSpec> SPECS =
      List.of(
          OptionSpec.optional("config", "YAML file with any of these keys; flags override it"),
          OptionSpec.required("input", "folder (recursive) or glob of images: path, file:, s3a:, hdfs:"),
          OptionSpec.withDefault(
              "input-glob",
              "*.{jpg,jpeg,png,bmp,gif,JPG,JPEG,PNG,BMP,GIF}",
              "file-name glob selecting images inside --input"),
          OptionSpec.required("model", "TorchScript model file URI"),
          OptionSpec.optional("model-sha256", "expected sha-256 of the model file (hex); mismatch fails the run"),
          OptionSpec.optional("labels", "class names, one per line, in class-index order"),
          OptionSpec.optional("manifest", "CSV path,label[,x0,y0,x1,y1] (box in original-image pixels)"),
          OptionSpec.required("output", "output folder URI"),
          OptionSpec.withDefault(
              "methods", "gradient,gradcam", "comma list of: " + String.join(", ", MethodRegistry.names())),
          OptionSpec.withDefault("image-size", "224", "model input size N (N x N)"),
          OptionSpec.withDefault("mean", "0.485,0.456,0.406", "per-channel RGB mean after scaling to [0,1]"),
          OptionSpec.withDefault("std", "0.229,0.224,0.225", "per-channel RGB std"),
          OptionSpec.withDefault("batch-size", "16", "images per model batch"),
          OptionSpec.withDefault("micro-batch-size", "16", "most samples in one forward/backward pass"),
          OptionSpec.withDefault("heatmap-size", "56", "stored heatmap grid N (N x N)"),
          OptionSpec.withDefault("target", "predicted", "class to explain: predicted | label"),
          OptionSpec.withDefault(
              "rollout-head-fusion", "mean", "attention_rollout: merge the heads of a layer by mean | max"),
          OptionSpec.withDefault(
              "rollout-discard", "0", "attention_rollout, grad_rollout: share 0 <= d < 1 of each layer's lowest "
                  + "attention set to zero"),
          OptionSpec.withDefault("ig-steps", "32", "integrated_gradients: points of the midpoint rule along the path"),
          OptionSpec.withDefault("ig-baseline", "black", "integrated_gradients: path start: black | blur | uniform"),
          OptionSpec.withDefault("smoothgrad-samples", "16", "smoothgrad, smoothgrad_sq, vargrad: noisy copies per image"),
          OptionSpec.withDefault("smoothgrad-sigma", "0.15", "smoothgrad noise std as a share of the [0,1] pixel range"),
          OptionSpec.withDefault("seed", "0", "seed of every random draw, combined with the image_id"),
          OptionSpec.withDefault("occlusion-window", "0", "occlusion: window side in input pixels (0: image-size/8)"),
          OptionSpec.withDefault("occlusion-stride", "0", "occlusion: window step in input pixels (0: window/2)"),
          OptionSpec.withDefault("rise-masks", "1000", "rise: random masks per image"),
          OptionSpec.withDefault("rise-grid", "7", "rise: masks are drawn on an N x N grid, then upsampled"),
          OptionSpec.withDefault("rise-p", "0.5", "rise: probability that a grid cell is kept"),
          OptionSpec.optional("master", "Spark master when not run by spark-submit (default local[*])"),
          OptionSpec.optional("run-id", "run identifier (default: generated)"),
          OptionSpec.withDefault("partitions", "0", "Spark partitions for model work (0: from file count)"),
          OptionSpec.withDefault("torch-threads", "0", "intra-op threads of the model owner (0: executor cores)"),
          OptionSpec.withDefault(
              "engine-check", "fallback", "when batched model passes disagree with one-sample passes on an "
                  + "executor: fallback (one sample per pass, warn) | strict (fail the run)"),
          OptionSpec.withDefault("max-file-bytes", "268435456", "larger files are quarantined as too_large"),
          OptionSpec.withDefault("max-pixels", "50000000", "larger images are quarantined as too_large"),
          OptionSpec.withDefault(
              "max-quarantine-ratio",
              "0.5",
              "fail the run (after writing everything) when a larger share of input files is quarantined"),
          OptionSpec.optional(
              "evaluate", "comma list of faithfulness curves per heatmap: deletion, insertion (deletion_auc, "
                  + "insertion_auc columns)"),
          OptionSpec.withDefault("evaluate-steps", "16", "--evaluate: K steps, K + 1 forward passes per curve"),
          OptionSpec.flag(
              "sanity-check",
              "also write sanity/ and sanity_verdicts/: model-parameter randomisation test on a sample of images"),
          OptionSpec.withDefault(
              "sanity-layers", "1", "--sanity-check: randomise 1..N parameterised layers from the output down"),
          OptionSpec.withDefault("sanity-images", "16", "--sanity-check: images in the seeded sample"),
          OptionSpec.flag(
              "layer-stats",
              "also write layer_stats/ (per-layer weight gradients and activations by predicted class)"),
          OptionSpec.flag(
              "incremental",
              "keep heatmaps already in --output for unchanged images (same path, content, model and method"
                  + " parameters) and explain only the others"),
          OptionSpec.flag("report", "also write runs/<run-id>/report/index.html, a self-contained HTML report"),
          OptionSpec.withDefault("report-colormap", "viridis", "report overlays and mean heatmaps: viridis | jet"),
          OptionSpec.withDefault(
              "report-images", "3", "top and worst images the report shows per class and method"),
          OptionSpec.withDefault("report-classes", "50", "most classes the report shows (most heatmaps first)"),
          OptionSpec.withDefault(
              "progress-interval", "5", "seconds between progress lines while images are explained"),
          OptionSpec.flag("quiet", "print no progress lines"));

  private static final Map<String, OptionSpec> BY_NAME =
      SPECS.stream().collect(Collectors.toMap(OptionSpec::name, s -> s, (a, b) -> a, LinkedHashMap::new));

  /** Options that also apply to a Dataset explained from code (not: where files are listed, written, run). */
  public static final List<String> DATASET_OPTIONS =
      List.of(
          "model", "model-sha256", "labels", "methods", "image-size", "mean", "std", "batch-size",
          "micro-batch-size", "heatmap-size", "target", "run-id", "partitions", "torch-threads",
          "engine-check",
          "max-file-bytes", "max-pixels", "rollout-head-fusion", "rollout-discard", "ig-steps", "ig-baseline",
          "smoothgrad-samples", "smoothgrad-sigma", "seed", "occlusion-window", "occlusion-stride", "rise-masks",
          "rise-grid", "rise-p", "evaluate", "evaluate-steps");

  private JobOptions() {}

  /** Parses flags ({@code --name value} or {@code --name=value}), merging a {@code --config} file under them. */
  public static JobConfig parse(String... args) {
    Map<String, String> flags = parseFlags(args);
    Map<String, String> values = new LinkedHashMap<>();
    String configFile = flags.get("config");
    if (configFile != null) {
      values.putAll(readYaml(configFile));
    }
    values.putAll(flags);
    values.remove("config");
    return build(values);
  }

  /** Validates a map of option name to text value; absent options take their defaults. */
  public static JobConfig build(Map<String, String> given) {
    Reader r = new Reader(withDefaults(given, BY_NAME.keySet()));
    InputConfig input =
        new InputConfig(
            r.uri("input"),
            r.glob("input-glob"),
            r.optionalUri("labels"),
            r.optionalUri("manifest"),
            r.positiveLong("max-file-bytes"),
            r.positiveLong("max-pixels"),
            r.ratio("max-quarantine-ratio"));
    ModelConfig model = model(r);
    ExplainConfig explain = explain(r);
    if (explain.target() == Target.LABEL && input.manifest().isEmpty()) {
      throw ConfigException.of("target", "'label' needs --manifest with a label per image");
    }
    OutputConfig output =
        new OutputConfig(r.uri("output"), runId(r), r.nonNegativeInt("partitions"), r.bool("incremental"));
    return new JobConfig(input, model, explain, output, r.optionalText("master"), report(r), progress(r));
  }

  /**
   * Validates the options that apply when a Dataset of images is explained from code
   * ({@link #DATASET_OPTIONS}), with the same defaults and checks as the command line. Whether
   * {@code target: label} has a label column is checked against the Dataset, not here.
   *
   * @throws ConfigException naming the first bad option; {@link ConfigException#option()} says which
   */
  public static DatasetConfig buildDataset(Map<String, String> given) {
    for (String key : given.keySet()) {
      requireKnown(key);
      if (!DATASET_OPTIONS.contains(key)) {
        throw ConfigException.of(key, "it does not apply to a Dataset explained from code");
      }
    }
    Reader r = new Reader(withDefaults(given, DATASET_OPTIONS));
    return new DatasetConfig(
        model(r), explain(r), r.optionalUri("labels"), r.positiveLong("max-file-bytes"),
        r.positiveLong("max-pixels"), runId(r), r.nonNegativeInt("partitions"));
  }

  /** Defaults under the given values, after rejecting unknown keys and missing required applicable ones. */
  private static Map<String, String> withDefaults(Map<String, String> given, Collection<String> applicable) {
    Map<String, String> values = new LinkedHashMap<>();
    for (OptionSpec spec : SPECS) {
      spec.defaultValue().ifPresent(d -> values.put(spec.name(), d));
    }
    for (Map.Entry<String, String> e : given.entrySet()) {
      requireKnown(e.getKey());
      values.put(e.getKey(), e.getValue());
    }
    for (OptionSpec spec : SPECS) {
      String v = values.get(spec.name());
      if (spec.required() && applicable.contains(spec.name()) && (v == null || v.isBlank())) {
        throw ConfigException.of(spec.name(), "it is required (%s)", spec.help());
      }
    }
    return values;
  }

  private static ModelConfig model(Reader r) {
    Optional<String> sha = r.optionalText("model-sha256");
    sha.ifPresent(
        s -> {
          if (!SHA256.matcher(s).matches()) {
            throw ConfigException.of("model-sha256", "'%s' is not 64 hex digits", s);
          }
        });
    return new ModelConfig(
        r.uri("model"), sha.map(s -> s.toLowerCase(Locale.ROOT)), r.nonNegativeInt("torch-threads"),
        r.engineCheck());
  }

  private static ExplainConfig explain(Reader r) {
    List<String> methods = r.methods();
    int imageSize = r.boundedInt("image-size", 8, 4096);
    return new ExplainConfig(
        methods,
        imageSize,
        r.triple("mean", false),
        r.triple("std", true),
        r.boundedInt("batch-size", 1, 65536),
        r.boundedInt("micro-batch-size", 1, 65536),
        r.boundedInt("heatmap-size", 1, 4096),
        r.target(),
        new MethodOptions(r.headFusion(), r.discard(), sampling(r, imageSize, methods)),
        r.bool("layer-stats"),
        evaluate(r));
  }

  private static EvaluateOptions evaluate(Reader r) {
    Optional<String> curves = r.optionalText("evaluate");
    boolean deletion = false;
    boolean insertion = false;
    if (curves.isPresent()) {
      for (String c : curves.get().split(",")) {
        String name = c.trim();
        boolean first;
        if ("deletion".equals(name)) {
          first = !deletion;
          deletion = true;
        } else if ("insertion".equals(name)) {
          first = !insertion;
          insertion = true;
        } else {
          throw ConfigException.of("evaluate", "unknown curve '%s' in '%s'; known: deletion, insertion", name, curves.get());
        }
        if (!first) {
          throw ConfigException.of("evaluate", "'%s' is listed twice", name);
        }
      }
    }
    return new EvaluateOptions(
        deletion,
        insertion,
        r.boundedInt("evaluate-steps", 1, 1024),
        r.bool("sanity-check"),
        r.boundedInt("sanity-layers", 1, 1000),
        r.boundedInt("sanity-images", 1, 10_000));
  }

  private static ReportConfig report(Reader r) {
    Colormap colormap =
        r.choice("report-colormap", "colormap", Colormap.values(), c -> c.name().toLowerCase(Locale.ROOT));
    return new ReportConfig(
        r.bool("report"), colormap, r.boundedInt("report-images", 1, 20), r.boundedInt("report-classes", 1, 1000));
  }

  private static ProgressConfig progress(Reader r) {
    return new ProgressConfig(r.bool("quiet"), r.boundedInt("progress-interval", 1, 3600));
  }

  private static String runId(Reader r) {
    String runId = r.optionalText("run-id").orElseGet(JobOptions::newRunId);
    if (!RUN_ID.matcher(runId).matches()) {
      throw ConfigException.of(
          "run-id", "'%s' must start with a letter, then letters, digits, '.', '_' or '-' (at most 128), "
              + "and not be NaN or Infinity (it names the run_id=<id> folders, read back as text)", runId);
    }
    return runId;
  }

  /** The default of an option as text, as --help shows it; empty for options without one. */
  public static Optional<String> defaultValue(String option) {
    requireKnown(option);
    return BY_NAME.get(option).defaultValue();
  }

  /** The sampling methods' options; checks that need the image size or the method list are done here. */
  private static SamplingOptions sampling(Reader r, int imageSize, List<String> methods) {
    int smoothGradSamples = r.boundedInt("smoothgrad-samples", 1, 100_000);
    if (smoothGradSamples < 2 && methods.contains("vargrad")) {
      throw ConfigException.of("smoothgrad-samples", "'%d' is too few for vargrad, which needs at least 2", smoothGradSamples);
    }
    int window = r.boundedInt("occlusion-window", 0, imageSize);
    int stride = r.nonNegativeInt("occlusion-stride");
    int masks = r.boundedInt("rise-masks", 1, 1_000_000);
    // The masks are kept in executor memory at one byte per pixel.
    long maskBytes = (long) masks * imageSize * imageSize;
    if (methods.contains("rise") && maskBytes > MAX_RISE_MASK_BYTES) {
      throw ConfigException.of(
          "rise-masks", "'%d' masks of %dx%d need %d MB, more than %d MB", masks, imageSize, imageSize,
          maskBytes >> 20, MAX_RISE_MASK_BYTES >> 20);
    }
    SamplingOptions sampling =
        new SamplingOptions(
            r.boundedInt("ig-steps", 1, 100_000),
            r.igBaseline(),
            smoothGradSamples,
            r.boundedFloat("smoothgrad-sigma", 0f, 1f),
            r.longValue("seed"),
            window,
            stride,
            masks,
            r.boundedInt("rise-grid", 1, imageSize),
            r.probability("rise-p"));
    int effectiveWindow = sampling.occlusionWindow(imageSize);
    if (stride > effectiveWindow) {
      throw ConfigException.of(
          "occlusion-stride", "'%d' must be at most the occlusion window (%d), or 0 for half of it", stride,
          effectiveWindow);
    }
    return sampling;
  }

  /** The --help text. */
  public static String help() {
    StringBuilder sb = new StringBuilder();
    sb.append("Usage: bin/saliency run [options]\n\nOptions (YAML keys in --config are the same names):\n");
    for (OptionSpec s : SPECS) {
      String head = "  --" + s.name() + (s.required() ? " (required)" : "");
      sb.append(String.format("%-28s %s", head, s.help()));
      s.defaultValue().ifPresent(d -> sb.append(" [default: ").append(d).append(']'));
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String newRunId() {
    return "run-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void requireKnown(String key) {
    if (!BY_NAME.containsKey(key)) {
      throw new ConfigException(
          "Cannot use --" + key + ": unknown option; known: " + String.join(", ", BY_NAME.keySet()));
    }
  }

  private static Map<String, String> parseFlags(String[] args) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || a.length() == 2) {
        throw new ConfigException("Cannot use argument '" + a + "': options start with -- (see --help)");
      }
      String name;
      String value;
      int eq = a.indexOf('=');
      if (eq > 0) {
        name = a.substring(2, eq);
        value = a.substring(eq + 1);
      } else {
        name = a.substring(2);
        requireKnown(name);
        if (BY_NAME.get(name).flag() && (i + 1 >= args.length || args[i + 1].startsWith("--"))) {
          value = "true"; // a bare --incremental or --layer-stats switches it on
        } else if (i + 1 >= args.length) {
          throw ConfigException.of(name, "it needs a value");
        } else {
          value = args[++i];
        }
      }
      requireKnown(name);
      if (flags.put(name, value) != null) {
        throw ConfigException.of(name, "it is given twice");
      }
    }
    return flags;
  }

  /** Reads a YAML mapping of option names to scalars or lists; never constructs arbitrary objects. */
  static Map<String, String> readYaml(String file) {
    Object doc;
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    } catch (IOException e) {
      throw ConfigException.of("config", "cannot read '%s' (%s)", file, e.getMessage());
    } catch (RuntimeException e) {
      throw ConfigException.of("config", "'%s' is not valid YAML (%s)", file, OptionValues.oneLine(e.getMessage()));
    }
    if (doc == null) {
      return Map.of();
    }
    if (!(doc instanceof Map)) {
      throw ConfigException.of("config", "'%s' must be a mapping of option names to values", file);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) doc).entrySet()) {
      String key = String.valueOf(e.getKey());
      requireKnown(key);
      if ("config".equals(key)) {
        throw ConfigException.of("config", "'%s' cannot name another config file", file);
      }
      out.put(key, yamlScalar(key, e.getValue()));
    }
    return out;
  }

  private static String yamlScalar(String key, Object v) {
    if (v == null) {
      throw ConfigException.of(key, "it has no value in the config file");
    }
    if (v instanceof List) {
      List<String> parts = new ArrayList<>();
      for (Object o : (List<?>) v) {
        if (o instanceof Map || o instanceof List) {
          throw ConfigException.of(key, "list items must be plain values (%s)", o);
        }
        parts.add(String.valueOf(o));
      }
      return String.join(",", parts);
    }
    if (v instanceof Map) {
      throw ConfigException.of(key, "it must be a value or a list, not a mapping");
    }
    return String.valueOf(v);
  }

  /** The option values with the readers of this command's own kinds (methods, baseline, fusion, target). */
  private static final class Reader extends OptionValues {
    Reader(Map<String, String> values) {
      super(values);
    }

    List<String> methods() {
      String v = text("methods");
      List<String> out = new ArrayList<>();
      for (String m : v.split(",")) {
        String name = m.trim();
        if (name.isEmpty()) {
          throw ConfigException.of("methods", "'%s' has an empty entry", v);
        }
        if (!MethodRegistry.names().contains(name)) {
          throw ConfigException.of(
              "methods", "unknown method '%s'; known: %s", name, String.join(", ", MethodRegistry.names()));
        }
        if (out.contains(name)) {
          throw ConfigException.of("methods", "'%s' is listed twice", name);
        }
        out.add(name);
      }
      return out;
    }

    float probability(String name) {
      String v = text(name);
      float f = boundedFloat(name, 0f, 1f);
      if (f == 0f) {
        throw ConfigException.of(name, "'%s' must be above 0 (no cell would ever be kept)", v);
      }
      return f;
    }

    IgBaseline igBaseline() {
      return choice("ig-baseline", "baseline", IgBaseline.values(), IgBaseline::code);
    }

    HeadFusion headFusion() {
      return choice("rollout-head-fusion", "fusion", HeadFusion.values(), HeadFusion::code);
    }

    /** The value of {@code name} among {@code values} by their codes; fails naming the known codes. */
    <T> T choice(String name, String what, T[] values, java.util.function.Function<T, String> code) {
      String v = text(name);
      for (T t : values) {
        if (code.apply(t).equals(v)) {
          return t;
        }
      }
      throw ConfigException.of(
          name, "unknown %s '%s'; known: %s", what, v,
          Arrays.stream(values).map(code).collect(Collectors.joining(", ")));
    }

    double discard() {
      String v = text("rollout-discard");
      double d;
      try {
        d = Double.parseDouble(v);
      } catch (NumberFormatException e) {
        throw ConfigException.of("rollout-discard", "'%s' is not a number", v);
      }
      if (!(d >= 0 && d < 1)) {
        throw ConfigException.of("rollout-discard", "'%s' must be at least 0 and below 1", v);
      }
      return d;
    }

    /** A file-name glob as Hadoop's GlobFilter (and binaryFile's pathGlobFilter) reads it. */
    String glob(String name) {
      String v = text(name);
      try {
        org.apache.hadoop.fs.GlobPattern.compile(v);
      } catch (RuntimeException e) {
        // Hadoop reports a bad glob with its shaded re2j's PatternSyntaxException.
        throw ConfigException.of(name, "'%s' is not a glob (%s)", v, e.getMessage().split("\n")[0]);
      }
      return v;
    }

    EngineCheckMode engineCheck() {
      return choice("engine-check", "mode", EngineCheckMode.values(), EngineCheckMode::code);
    }

    Target target() {
      return choice("target", "target", Target.values(), Target::code);
    }
  }
}
