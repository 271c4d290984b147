package org.sparksaliency.job.config;

import java.util.Optional;

/**
 * One option of {@code bin/saliency run}: its name (the flag without dashes, also the YAML key), its
 * default as text (empty when the option is required or optional-without-default), whether it is a
 * true/false flag that may be given without a value, and its help line.
 */
record OptionSpec(String name, Optional<String> defaultValue, boolean required, boolean flag, String help) {

  static OptionSpec required(String name, String help) {
    return new OptionSpec(name, Optional.empty(), true, false, help);
  }

  static OptionSpec optional(String name, String help) {
    return new OptionSpec(name, Optional.empty(), false, false, help);
  }

  static OptionSpec withDefault(String name, String defaultValue, String help) {
    return new OptionSpec(name, Optional.of(defaultValue), false, false, help);
  }

  /** A true/false option, false by default; on the command line the bare flag means true. */
  static OptionSpec flag(String name, String help) {
    return new OptionSpec(name, Optional.of("false"), false, true, help);
  }
}
