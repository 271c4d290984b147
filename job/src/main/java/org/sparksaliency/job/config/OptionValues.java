package org.sparksaliency.job.config;

import org.sparksaliency.job.option.ConfigException;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Typed access to merged option values (defaults, YAML, flags), each failure a {@link ConfigException} naming
 * its option. Shared by {@link JobOptions} and {@link VisualizeOptions}.
 */
class OptionValues {
  final Map<String, String> values;

  OptionValues(Map<String, String> values) {
    this.values = values;
  }

  String text(String name) {
    String v = values.get(name);
    if (v == null || v.isBlank()) {
      throw ConfigException.of(name, "it must not be empty");
    }
    return v.trim();
  }

  Optional<String> optionalText(String name) {
    String v = values.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  String uri(String name) {
    String v = text(name);
    try {
      java.net.URI parsed = new org.apache.hadoop.fs.Path(v).toUri();
      if (parsed.getScheme() != null && !parsed.getScheme().matches("[A-Za-z][A-Za-z0-9+.-]*")) {
        throw ConfigException.of(name, "'%s' has a bad scheme", v);
      }
    } catch (IllegalArgumentException e) {
      if (e instanceof ConfigException) {
        throw e;
      }
      throw ConfigException.of(name, "'%s' is not a valid path or URI (%s)", v, oneLine(e.getMessage()));
    }
    return v;
  }

  Optional<String> optionalUri(String name) {
    return optionalText(name).map(v -> uri(name));
  }

  long positiveLong(String name) {
    String v = text(name);
    try {
      long n = Long.parseLong(v.replace("_", ""));
      if (n <= 0) {
        throw ConfigException.of(name, "'%s' must be positive", v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw ConfigException.of(name, "'%s' is not a whole number", v);
    }
  }

  int boundedInt(String name, int min, int max) {
    String v = text(name);
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw ConfigException.of(name, "'%s' is not a whole number", v);
    }
    if (n < min || n > max) {
      throw ConfigException.of(name, "'%s' must be between %d and %d", v, min, max);
    }
    return n;
  }

  double ratio(String name) {
    String v = text(name);
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw ConfigException.of(name, "'%s' is not a number", v);
    }
    if (!(d >= 0 && d <= 1)) {
      throw ConfigException.of(name, "'%s' must be between 0 and 1", v);
    }
    return d;
  }

  boolean bool(String name) {
    String v = text(name).toLowerCase(Locale.ROOT);
    if (v.equals("true")) {
      return true;
    }
    if (v.equals("false")) {
      return false;
    }
    throw ConfigException.of(name, "'%s' must be true or false", values.get(name).trim());
  }

  int nonNegativeInt(String name) {
    return boundedInt(name, 0, Integer.MAX_VALUE);
  }

  float[] triple(String name, boolean positive) {
    String v = text(name);
    String[] parts = v.split(",");
    if (parts.length != 3) {
      throw ConfigException.of(name, "'%s' must be three comma-separated numbers (R,G,B)", v);
    }
    float[] out = new float[3];
    for (int i = 0; i < 3; i++) {
      try {
        out[i] = Float.parseFloat(parts[i].trim());
      } catch (NumberFormatException e) {
        throw ConfigException.of(name, "'%s' has a value that is not a number ('%s')", v, parts[i].trim());
      }
      if (!Float.isFinite(out[i]) || (positive && out[i] <= 0)) {
        throw ConfigException.of(name, "'%s' must hold %s numbers", v, positive ? "positive finite" : "finite");
      }
    }
    return out;
  }

  long longValue(String name) {
    String v = text(name);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw ConfigException.of(name, "'%s' is not a whole number", v);
    }
  }

  float boundedFloat(String name, float min, float max) {
    String v = text(name);
    float f;
    try {
      f = Float.parseFloat(v);
    } catch (NumberFormatException e) {
      throw ConfigException.of(name, "'%s' is not a number", v);
    }
    if (!(f >= min && f <= max)) {
      throw ConfigException.of(name, "'%s' must be between %s and %s", v, min, max);
    }
    // '-0' passes the range check as -0.0; read as 0 it gives the same method_params and settings as '0'.
    return f == 0 ? 0f : f;
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }
}
