package org.sparksaliency.job.config;

import java.util.Optional;

/**
 * One option of {@code bin/saliency run}: its name (the flag without dashes, also the YAML key), its
 * default as text (empty when the option is required or optional-without-default), and its help line.
 */
record OptionSpec(String name, Optional<String> defaultValue, boolean required, String help) {

  static OptionSpec required(String name, String help) {
    return new OptionSpec(name, Optional.empty(), true, help);
  }

  static OptionSpec optional(String name, String help) {
    return new OptionSpec(name, Optional.empty(), false, help);
  }

  static OptionSpec withDefault(String name, String defaultValue, String help) {
    return new OptionSpec(name, Optional.of(defaultValue), false, help);
  }
}
