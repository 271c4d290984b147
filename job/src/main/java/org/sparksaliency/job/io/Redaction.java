package org.sparksaliency.job.io;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides secrets before a setting or a URI reaches a log line or run.json: the value of any key
 * naming a secret, token, password or credential, of any filesystem key setting ({@code
 * fs.s3a.access.key}, {@code fs.azure.account.key.*}, also under {@code spark.hadoop.}), and the
 * user-info part of URIs.
 */
public final class Redaction {
  /** What a hidden value is replaced with (Spark's own marker). */
  public static final String REDACTED = "*********(redacted)";

  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(secret|token|password|passwd|credential).*");
  private static final Pattern FS_KEY = Pattern.compile("(?i)^(spark\\.hadoop\\.)?fs\\..*key.*");
  private static final Pattern USER_INFO =
      Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s]+@");

  private Redaction() {}

  /** Whether the value of {@code key} must never be shown. */
  public static boolean isSecret(String key) {
    return SECRET_NAME.matcher(key).matches() || FS_KEY.matcher(key).matches();
  }

  /**
   * The value to show for {@code key}: hidden if the key names a secret, else with URI user-info
   * hidden.
   */
  public static String value(String key, String value) {
    if (value == null) {
      return null;
    }
    return isSecret(key) ? REDACTED : uri(value);
  }

  /** {@code s} with the user-info of every URI in it ({@code s3a://id:secret@bucket}) hidden. */
  public static String uri(String s) {
    if (s == null) {
      return null;
    }
    return USER_INFO.matcher(s).replaceAll("$1" + Matcher.quoteReplacement(REDACTED) + "@");
  }

  /** The settings sorted by key, each value through {@link #value}. */
  public static Map<String, String> settings(Iterable<Map.Entry<String, String>> entries) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : entries) {
      out.put(e.getKey(), value(e.getKey(), e.getValue()));
    }
    return out;
  }
}
