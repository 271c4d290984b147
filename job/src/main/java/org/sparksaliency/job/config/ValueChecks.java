package org.sparksaliency.job.config;

import java.util.regex.Pattern;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.option.OptionType;

/**
 * The checks of option values that are text: paths and URIs (as Hadoop reads them), globs, hashes,
 * run ids.
 */
final class ValueChecks {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
  // The run id names the tables' run_id=<id> folders. Spark infers a partition value's type from
  // its text,
  // so an id that reads as a number or a date (2024-01-01, 42, NaN, Infinity) would come back as
  // one:
  // ids start with a letter and are not NaN or Infinity.
  private static final Pattern RUN_ID =
      Pattern.compile("(?!NaN$|Infinity$)[A-Za-z][A-Za-z0-9._-]{0,127}");

  /** A path or URI Hadoop can parse: a plain path, file:, s3a:, hdfs:, ... */
  static final OptionType<String> TYPE = OptionType.text("path or URI", ValueChecks::checkUri);

  private ValueChecks() {}

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

  static void checkSha256(String option, String v) {
    if (!SHA256.matcher(v).matches()) {
      throw ConfigException.of(option, "'%s' is not 64 hex digits", v);
    }
  }

  static void checkRunId(String option, String runId) {
    if (!RUN_ID.matcher(runId).matches()) {
      throw ConfigException.of(
          option,
          "'%s' must start with a letter, then letters, digits, '.', '_' or '-' (at most 128), "
              + "and not be NaN or Infinity (it names the run_id=<id> folders, read back as text)",
          runId);
    }
  }
}
