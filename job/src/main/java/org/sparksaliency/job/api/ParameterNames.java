package org.sparksaliency.job.api;

import org.sparksaliency.job.option.ConfigException;

/**
 * The Java API and the transformer name each command-line option in camel case ({@code
 * --image-size} is {@code imageSize}), and so do their error messages.
 */
final class ParameterNames {
  private ParameterNames() {}

  static String of(String option) {
    StringBuilder sb = new StringBuilder();
    boolean upper = false;
    for (char c : option.toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        sb.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
        upper = false;
      }
    }
    return sb.toString();
  }

  /** The same error, naming the parameter instead of the flag. */
  static ConfigException rename(ConfigException e) {
    return e.option().map(o -> e.forParameter(of(o))).orElse(e);
  }
}
