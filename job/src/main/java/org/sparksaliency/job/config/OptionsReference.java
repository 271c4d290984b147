package org.sparksaliency.job.config;

import java.util.List;
import org.sparksaliency.job.method.MethodRegistry;
import org.sparksaliency.job.option.Option;

/**
 * The options table of docs/options.md, generated from the catalogue (OptionsReferenceTest keeps it
 * current).
 */
public final class OptionsReference {
  /** The markers around the generated table in docs/options.md. */
  public static final String BEGIN =
      "<!-- options table: generated from JobOptions.ALL; see OptionsReferenceTest -->";

  public static final String END = "<!-- end of options table -->";

  private OptionsReference() {}

  /**
   * The Markdown table: flag, default, allowed values, Java API / transformer name, where it
   * applies, meaning.
   */
  public static String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("| option | default | values | Java API, transformer | applies to | meaning |\n");
    sb.append("|---|---|---|---|---|---|\n");
    for (Option<?> o : JobOptions.ALL) {
      String def = o.required() ? "required" : o.defaultText().map(d -> "`" + d + "`").orElse("");
      String api = o.scope() == Option.Scope.DATASET ? "`" + o.parameter() + "`" : "";
      String where = o.methodOption() ? String.join(", ", MethodRegistry.readers(o)) : "the run";
      sb.append("| `--")
          .append(o.name())
          .append("` | ")
          .append(escape(def))
          .append(" | ")
          .append(escape(o.type().describe()))
          .append(" | ")
          .append(api)
          .append(" | ")
          .append(escape(where))
          .append(" | ")
          .append(escape(o.help()))
          .append(" |\n");
    }
    return sb.toString();
  }

  /**
   * The help line of an option: its owners (for a method option), its text, and its allowed values.
   */
  public static String describe(Option<?> o) {
    List<String> owners = o.methodOption() ? MethodRegistry.readers(o) : List.of();
    return (owners.isEmpty() ? "" : String.join(", ", owners) + ": ") + o.help();
  }

  /** The --help text. */
  public static String help() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "Usage: bin/saliency run [options]\n\nOptions (YAML keys in --config are the same names):\n");
    for (Option<?> o : JobOptions.ALL) {
      String head = "  --" + o.name() + (o.required() ? " (required)" : "");
      sb.append(String.format("%-28s %s", head, describe(o)));
      o.defaultText().ifPresent(d -> sb.append(" [default: ").append(d).append(']'));
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String escape(String s) {
    return s.replace("|", "\\|");
  }
}
