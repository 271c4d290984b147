package org.sparksaliency.job.config;

import static org.sparksaliency.job.option.Option.Scope.RUN;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.sparksaliency.job.method.Seeds;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.option.OptionType;
import org.sparksaliency.job.option.Settings;

/**
 * Every option of {@code bin/saliency visualize}: the model, normalisation, seed and run options
 * are the catalogue's own ({@link JobOptions}), the optimisation ones are declared here. Flags
 * only, checked on the driver before any Spark work.
 */
public final class VisualizeOptions {
  public static final Option<List<String>> CLASSES =
      Option.required(
          "classes",
          OptionType.names("class", List.of(), false),
          RUN,
          "comma list of class indices, or of names from --labels");
  public static final Option<Integer> STEPS =
      Option.of("steps", OptionType.integer(1, 100_000), "200", RUN, "gradient steps per class");
  public static final Option<Float> LEARNING_RATE =
      Option.of(
          "learning-rate",
          OptionType.decimal(0f, 100f, true),
          "0.05",
          RUN,
          "step length: mean change per value and step");
  public static final Option<Double> L2_DECAY =
      Option.of(
          "l2-decay",
          OptionType.real(0, 1, false),
          "0.01",
          RUN,
          "after each step the image is scaled by (1 - l2-decay)");
  public static final Option<Integer> JITTER =
      Option.of(
          "jitter",
          OptionType.integer(0, 2048),
          "4",
          RUN,
          "random shift in pixels before each gradient");
  public static final Option<Integer> BLUR_EVERY =
      Option.of(
          "blur-every",
          OptionType.integer(0, 100_000),
          "4",
          RUN,
          "Gaussian blur every N steps (0: never)");
  public static final Option<Float> BLUR_SIGMA =
      Option.of(
          "blur-sigma",
          OptionType.decimal(0f, 64f, true),
          "0.5",
          RUN,
          "Gaussian blur standard deviation in pixels");

  /** All options, in the order --help lists them. */
  public static final List<Option<?>> ALL =
      List.of(
          JobOptions.MODEL,
          JobOptions.MODEL_SHA256,
          CLASSES,
          JobOptions.LABELS,
          JobOptions.OUTPUT,
          JobOptions.IMAGE_SIZE,
          JobOptions.MEAN,
          JobOptions.STD,
          STEPS,
          LEARNING_RATE,
          L2_DECAY,
          JITTER,
          BLUR_EVERY,
          BLUR_SIGMA,
          Seeds.SEED,
          JobOptions.TORCH_THREADS,
          JobOptions.RUN_ID_OPTION,
          JobOptions.MASTER);

  private static final Map<String, Option<?>> BY_NAME =
      ALL.stream().collect(Collectors.toMap(Option::name, o -> o, (a, b) -> a, LinkedHashMap::new));

  private VisualizeOptions() {}

  /** Parses and validates the flags; absent options take their defaults. */
  public static VisualizeConfig parse(String... args) {
    Settings s = Settings.read(ALL, OptionSources.parseFlags(args, VisualizeOptions::named));
    int imageSize = s.get(JobOptions.IMAGE_SIZE);
    if (s.get(JITTER) > imageSize / 2) {
      throw ConfigException.of(
          JITTER.name(),
          "'%d' must be between 0 and %d (half the image size)",
          s.get(JITTER),
          imageSize / 2);
    }
    return new VisualizeConfig(
        s.get(JobOptions.MODEL),
        s.find(JobOptions.MODEL_SHA256).map(v -> v.toLowerCase(Locale.ROOT)),
        classes(s.get(CLASSES), s.find(JobOptions.LABELS).isPresent()),
        s.find(JobOptions.LABELS),
        s.get(JobOptions.OUTPUT),
        imageSize,
        ConfigBuilder.floats(s.get(JobOptions.MEAN)),
        ConfigBuilder.floats(s.get(JobOptions.STD)),
        s.get(STEPS),
        s.get(LEARNING_RATE),
        (float) (double) s.get(L2_DECAY),
        s.get(JITTER),
        s.get(BLUR_EVERY),
        s.get(BLUR_SIGMA),
        s.get(Seeds.SEED),
        s.get(JobOptions.TORCH_THREADS),
        s.find(JobOptions.RUN_ID_OPTION)
            .orElseGet(() -> "visualize-" + UUID.randomUUID().toString().substring(0, 8)),
        s.find(JobOptions.MASTER));
  }

  /** The --help text. */
  public static String help() {
    StringBuilder sb = new StringBuilder();
    sb.append("Usage: bin/saliency visualize [options]\n\n")
        .append(
            "Class visualisation by activation maximisation: one image per class, optimised to raise the\n")
        .append(
            "class logit. Writes png/class_<index>[_<name>].png and the class_images/ table under --output.\n\n")
        .append("Options:\n");
    for (Option<?> o : ALL) {
      String head = "  --" + o.name() + (o.required() ? " (required)" : "");
      sb.append(String.format("%-28s %s", head, o.help()));
      o.defaultText().ifPresent(d -> sb.append(" [default: ").append(d).append(']'));
      sb.append('\n');
    }
    return sb.toString();
  }

  private static Option<?> named(String name) {
    Option<?> o = BY_NAME.get(name);
    if (o == null) {
      throw ConfigException.unknownOption(name, BY_NAME.keySet());
    }
    return o;
  }

  private static List<String> classes(List<String> given, boolean haveLabels) {
    List<String> out = new ArrayList<>();
    for (String c : given) {
      if (!c.matches("\\d{1,9}") && !haveLabels) {
        throw ConfigException.of(
            CLASSES.name(), "'%s' is not a class index; class names need --labels", c);
      }
      out.add(c);
    }
    return out;
  }
}
