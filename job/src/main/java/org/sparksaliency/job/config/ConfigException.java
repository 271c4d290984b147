package org.sparksaliency.job.config;

/** A bad option or configuration value; its message is one line naming the option and the value. */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  /** "Cannot use --option: reason". */
  public static ConfigException of(String option, String reasonFormat, Object... args) {
    return new ConfigException("Cannot use --" + option + ": " + String.format(reasonFormat, args));
  }
}
