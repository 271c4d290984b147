package org.sparksaliency.job.api;

import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.option.Option;

/**
 * The Java API and the transformer name each command-line option in camel case ({@code
 * --image-size} is {@code imageSize}), and so do their error messages.
 */
final class ParameterNames {
  private ParameterNames() {}

  /** The same error, naming the parameter instead of the flag. */
  static ConfigException rename(ConfigException e) {
    return e.option().map(o -> e.forParameter(Option.parameterName(o))).orElse(e);
  }
}
