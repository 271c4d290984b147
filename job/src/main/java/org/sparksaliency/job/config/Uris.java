package org.sparksaliency.job.config;

import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.option.OptionType;

/** The checks of path, URI and glob options, as Hadoop reads them. */
final class Uris {
  /** A path or URI Hadoop can parse: a plain path, file:, s3a:, hdfs:, ... */
  static final OptionType<String> TYPE = OptionType.text("path or URI", Uris::checkUri);

  private Uris() {}

  static void checkUri(String option, String v) {
    try {
      java.net.URI parsed = new org.apache.hadoop.fs.Path(v).toUri();
      if (parsed.getScheme() != null && !parsed.getScheme().matches("[A-Za-z][A-Za-z0-9+.-]*")) {
        throw ConfigException.of(option, "'%s' has a bad scheme", v);
      }
    } catch (IllegalArgumentException e) {
      if (e instanceof ConfigException) {
        throw e;
      }
      throw ConfigException.of(
          option, "'%s' is not a valid path or URI (%s)", v, OptionSources.oneLine(e.getMessage()));
    }
  }

  /** A file-name glob as Hadoop's GlobFilter (and binaryFile's pathGlobFilter) reads it. */
  static void checkGlob(String option, String v) {
    try {
      org.apache.hadoop.fs.GlobPattern.compile(v);
    } catch (RuntimeException e) {
      // Hadoop reports a bad glob with its shaded re2j's PatternSyntaxException.
      throw ConfigException.of(option, "'%s' is not a glob (%s)", v, e.getMessage().split("\n")[0]);
    }
  }
}
