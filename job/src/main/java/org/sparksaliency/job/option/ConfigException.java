package org.sparksaliency.job.option;

import java.util.Collection;
import java.util.Optional;

/** A bad option or configuration value; its message is one line naming the option and the value. */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String option;
  private final String reason;

  public ConfigException(String message) {
    super(message);
    this.option = null;
    this.reason = message;
  }

  private ConfigException(String name, String option, String reason) {
    super("Cannot use " + name + ": " + reason);
    this.option = option;
    this.reason = reason;
  }

  /** "Cannot use --option: reason". */
  public static ConfigException of(String option, String reasonFormat, Object... args) {
    return new ConfigException("--" + option, option, String.format(reasonFormat, args));
  }

  /** "Cannot use --name: unknown option; known: a, b, ...". */
  public static ConfigException unknownOption(String name, Collection<String> known) {
    return new ConfigException(
        "Cannot use --" + name + ": unknown option; known: " + String.join(", ", known));
  }

  /** The option (without dashes) this is about, when it was made by {@link #of}. */
  public Optional<String> option() {
    return Optional.ofNullable(option);
  }

  /**
   * The same problem named for a parameter of the Java API or the Spark ML transformer rather than
   * a command-line flag: "Cannot use imageSize: reason". Unchanged when it names no option.
   */
  public ConfigException forParameter(String parameter) {
    return option == null ? this : new ConfigException(parameter, option, reason);
  }
}
