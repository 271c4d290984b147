package org.sparksaliency.job.option;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

/**
 * One option, declared once: its name (the flag without dashes and the YAML key; {@link #key()} in
 * run.json and {@code method_params}, {@link #parameter()} in the Java API and the transformer),
 * its type, default, help line, the methods that own it (none: it belongs to the whole run) and
 * where it applies. Everything that reads, documents or records options derives from these
 * declarations.
 *
 * @param <T> the value's Java type
 */
public final class Option<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Where an option applies. */
  public enum Scope {
    /**
     * The command line and YAML only: where files are listed, written, and how the run is shown.
     */
    RUN,
    /** Also a Dataset explained from code (the Java API and the Spark ML transformer). */
    DATASET
  }

  private final String name;
  private final OptionType<T> type;
  private final String defaultText;
  private final boolean required;
  private final String help;
  private final boolean methodOption;
  private final Scope scope;

  private Option(
      String name,
      OptionType<T> type,
      String defaultText,
      boolean required,
      String help,
      boolean methodOption,
      Scope scope) {
    if (!name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
      throw new IllegalArgumentException(
          "Cannot declare option '" + name + "': names are lower-case-with-dashes");
    }
    this.name = name;
    this.type = Objects.requireNonNull(type, "type is null");
    this.defaultText = defaultText;
    this.required = required;
    this.help = Objects.requireNonNull(help, "help is null");
    this.methodOption = methodOption;
    this.scope = Objects.requireNonNull(scope, "scope is null");
    if (defaultText != null) {
      type.parse(name, defaultText); // a declaration with a bad default fails when its class loads
    }
  }

  /** An option of the whole run with a default. */
  public static <T> Option<T> of(
      String name, OptionType<T> type, String defaultText, Scope scope, String help) {
    return new Option<>(
        name,
        type,
        Objects.requireNonNull(defaultText, "defaultText is null"),
        false,
        help,
        false,
        scope);
  }

  /** An option of the whole run that must be given. */
  public static <T> Option<T> required(String name, OptionType<T> type, Scope scope, String help) {
    return new Option<>(name, type, null, true, help, false, scope);
  }

  /** An option of the whole run without a default: absent means not set. */
  public static <T> Option<T> optional(String name, OptionType<T> type, Scope scope, String help) {
    return new Option<>(name, type, null, false, help, false, scope);
  }

  /**
   * An option of one or more methods: the methods whose definitions list it read it and write it
   * into their method_params (the method registry says which).
   */
  public static <T> Option<T> ofMethods(
      String name, OptionType<T> type, String defaultText, String help) {
    return new Option<>(
        name,
        type,
        Objects.requireNonNull(defaultText, "defaultText is null"),
        false,
        help,
        true,
        Scope.DATASET);
  }

  public String name() {
    return name;
  }

  /** The name in run.json and method_params: dashes become underscores ({@code ig_steps}). */
  public String key() {
    return name.replace('-', '_');
  }

  /** The name in the Java API and the transformer: camel case ({@code igSteps}). */
  public String parameter() {
    return parameterName(name);
  }

  /** An option name in camel case, as the Java API, the transformer and their errors say it. */
  public static String parameterName(String optionName) {
    StringBuilder sb = new StringBuilder();
    boolean upper = false;
    for (char c : optionName.toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        sb.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return sb.toString();
  }

  public OptionType<T> type() {
    return type;
  }

  public Optional<String> defaultText() {
    return Optional.ofNullable(defaultText);
  }

  public boolean required() {
    return required;
  }

  /** A true/false option, which the command line also takes as a bare flag. */
  public boolean flag() {
    return type.kind() == ParamKind.BOOLEAN;
  }

  public String help() {
    return help;
  }

  /**
   * Whether methods own this option (which ones: the method registry); false for the whole run's.
   */
  public boolean methodOption() {
    return methodOption;
  }

  public Scope scope() {
    return scope;
  }

  /** Reads a value of this option; a bad one fails with "Cannot use --name: ...". */
  public T parse(String text) {
    return type.parse(name, text);
  }

  /** The canonical text of a value of this option. */
  public String format(T value) {
    return type.format(value);
  }

  @Override
  public String toString() {
    return "--" + name;
  }
}
