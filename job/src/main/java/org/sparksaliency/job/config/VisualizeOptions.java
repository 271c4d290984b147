package org.sparksaliency.job.config;

import org.sparksaliency.job.option.ConfigException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every option of {@code bin/saliency visualize}, its default and its validation, checked on the driver
 * before any Spark work. Flags only ({@code --name value} or {@code --name=value}).
 */
public final class VisualizeOptions {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /** All options, in the order --help lists them. */
  public static final List<OptionSpec> SPECS =
      List.of(
          OptionSpec.required("model", "TorchScript model file URI"),
          OptionSpec.optional("model-sha256", "expected sha-256 of the model file (hex); mismatch fails the run"),
          OptionSpec.required("classes", "comma list of class indices, or of names from --labels"),
          OptionSpec.optional("labels", "class names, one per line, in class-index order"),
          OptionSpec.required("output", "output folder URI (class_images/ table and png/ images)"),
          OptionSpec.withDefault("image-size", "224", "image size N (N x N)"),
          OptionSpec.withDefault("mean", "0.485,0.456,0.406", "per-channel RGB mean of the model's normalisation"),
          OptionSpec.withDefault("std", "0.229,0.224,0.225", "per-channel RGB std of the model's normalisation"),
          OptionSpec.withDefault("steps", "200", "gradient steps per class"),
          OptionSpec.withDefault("learning-rate", "0.05", "step length: mean change per value and step"),
          OptionSpec.withDefault("l2-decay", "0.01", "after each step the image is scaled by (1 - l2-decay)"),
          OptionSpec.withDefault("jitter", "4", "random shift in pixels before each gradient"),
          OptionSpec.withDefault("blur-every", "4", "Gaussian blur every N steps (0: never)"),
          OptionSpec.withDefault("blur-sigma", "0.5", "Gaussian blur standard deviation in pixels"),
          OptionSpec.withDefault("seed", "0", "seed of the initial noise and the jitter"),
          OptionSpec.withDefault("torch-threads", "0", "intra-op threads of the model owner (0: executor cores)"),
          OptionSpec.optional("run-id", "run identifier (default: generated)"),
          OptionSpec.optional("master", "Spark master when not run by spark-submit (default local[*])"));

  private static final Map<String, OptionSpec> BY_NAME =
      SPECS.stream().collect(Collectors.toMap(OptionSpec::name, s -> s, (a, b) -> a, LinkedHashMap::new));

  private VisualizeOptions() {}

  /** Parses and validates the flags; absent options take their defaults. */
  public static VisualizeConfig parse(String... args) {
    Map<String, String> v = new LinkedHashMap<>();
    for (OptionSpec spec : SPECS) {
      spec.defaultValue().ifPresent(d -> v.put(spec.name(), d));
    }
    Map<String, String> given = flags(args);
    v.putAll(given);
    for (OptionSpec spec : SPECS) {
      if (spec.required() && (v.get(spec.name()) == null || v.get(spec.name()).isBlank())) {
        throw ConfigException.of(spec.name(), "it is required (%s)", spec.help());
      }
    }
    OptionValues r = new OptionValues(v);
    Optional<String> sha = r.optionalText("model-sha256");
    sha.ifPresent(
        s -> {
          if (!SHA256.matcher(s).matches()) {
            throw ConfigException.of("model-sha256", "'%s' is not 64 hex digits", s);
          }
        });
    Optional<String> labels = r.optionalText("labels");
    List<String> classes = classes(v.get("classes").trim(), labels.isPresent());
    int imageSize = r.boundedInt("image-size", 8, 4096);
    String runId = r.optionalText("run-id").orElseGet(() -> "visualize-" + UUID.randomUUID().toString().substring(0, 8));
    if (!RUN_ID.matcher(runId).matches()) {
      throw ConfigException.of("run-id", "'%s' must be letters, digits, '.', '_' or '-' (at most 128)", runId);
    }
    return new VisualizeConfig(
        v.get("model").trim(),
        sha.map(s -> s.toLowerCase(Locale.ROOT)),
        classes,
        labels,
        v.get("output").trim(),
        imageSize,
        r.triple("mean", false),
        r.triple("std", true),
        r.boundedInt("steps", 1, 100_000),
        number(r, "learning-rate", x -> x > 0 && x <= 100, "a number in (0, 100]"),
        number(r, "l2-decay", x -> x >= 0 && x < 1, "a number in [0, 1)"),
        r.boundedInt("jitter", 0, imageSize / 2),
        r.boundedInt("blur-every", 0, 100_000),
        number(r, "blur-sigma", x -> x > 0 && x <= 64, "a number in (0, 64]"),
        r.longValue("seed"),
        r.nonNegativeInt("torch-threads"),
        runId,
        r.optionalText("master"));
  }

  /** The --help text. */
  public static String help() {
    StringBuilder sb = new StringBuilder();
    sb.append("Usage: bin/saliency visualize [options]\n\n")
        .append("Class visualisation by activation maximisation: one image per class, optimised to raise the\n")
        .append("class logit. Writes png/class_<index>[_<name>].png and the class_images/ table under --output.\n\n")
        .append("Options:\n");
    for (OptionSpec s : SPECS) {
      String head = "  --" + s.name() + (s.required() ? " (required)" : "");
      sb.append(String.format("%-28s %s", head, s.help()));
      s.defaultValue().ifPresent(d -> sb.append(" [default: ").append(d).append(']'));
      sb.append('\n');
    }
    return sb.toString();
  }

  private static Map<String, String> flags(String[] args) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || a.length() == 2) {
        throw new ConfigException("Cannot use argument '" + a + "': options start with -- (see visualize --help)");
      }
      int eq = a.indexOf('=');
      String name = eq > 0 ? a.substring(2, eq) : a.substring(2);
      if (!BY_NAME.containsKey(name)) {
        throw new ConfigException(
            "Cannot use --" + name + ": unknown option; known: " + String.join(", ", BY_NAME.keySet()));
      }
      String value;
      if (eq > 0) {
        value = a.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw ConfigException.of(name, "it needs a value");
      }
      if (flags.put(name, value) != null) {
        throw ConfigException.of(name, "it is given twice");
      }
    }
    return flags;
  }

  private static List<String> classes(String v, boolean haveLabels) {
    List<String> out = new ArrayList<>();
    for (String part : v.split(",")) {
      String c = part.trim();
      if (c.isEmpty()) {
        throw ConfigException.of("classes", "'%s' has an empty entry", v);
      }
      if (!c.matches("\\d{1,9}") && !haveLabels) {
        throw ConfigException.of("classes", "'%s' is not a class index; class names need --labels", c);
      }
      if (out.contains(c)) {
        throw ConfigException.of("classes", "'%s' is listed twice", c);
      }
      out.add(c);
    }
    return out;
  }

  private static float number(OptionValues r, String name, Predicate<Float> ok, String what) {
    String s = r.text(name);
    float x;
    try {
      x = Float.parseFloat(s);
    } catch (NumberFormatException e) {
      throw ConfigException.of(name, "'%s' is not a number", s);
    }
    if (!Float.isFinite(x) || !ok.test(x)) {
      throw ConfigException.of(name, "'%s' must be %s", s, what);
    }
    return x;
  }
}
