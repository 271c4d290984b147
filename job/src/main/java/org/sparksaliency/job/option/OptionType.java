package org.sparksaliency.job.option;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The type of an option: how its text is read and checked, how a value is written back as text (the
 * canonical form that {@code method_params} and run.json use), and which Spark ML param carries it.
 *
 * @param <T> the value's Java type
 */
public abstract class OptionType<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ParamKind kind;
  private final String describe;

  OptionType(ParamKind kind, String describe) {
    this.kind = kind;
    this.describe = describe;
  }

  /** Reads {@code text}; a bad value fails with a {@link ConfigException} naming {@code option}. */
  public abstract T parse(String option, String text);

  /** The canonical text of a value, which {@link #parse} reads back to the same value. */
  public String format(T value) {
    return String.valueOf(value);
  }

  /** The value as run.json writes it (a number, boolean, string or list). */
  public Object json(T value) {
    return value;
  }

  public ParamKind kind() {
    return kind;
  }

  /** What values are allowed, for --help and the options reference ("1..65536", "mean | max"). */
  public String describe() {
    return describe;
  }

  /** A whole number in [min, max]. */
  public static OptionType<Integer> integer(int min, int max) {
    return new OptionType<>(ParamKind.INT, range(min, max)) {
      @Override
      public Integer parse(String option, String text) {
        long n = whole(option, text);
        if (n < min || n > max) {
          throw ConfigException.of(option, "'%s' must be between %d and %d", text.trim(), min, max);
        }
        return (int) n;
      }
    };
  }

  /** A whole number in [min, max] that may exceed an int ('_' separators allowed). */
  public static OptionType<Long> longInt(long min, long max) {
    return new OptionType<>(ParamKind.LONG, range(min, max)) {
      @Override
      public Long parse(String option, String text) {
        long n = whole(option, text);
        if (n < min || n > max) {
          throw ConfigException.of(option, "'%s' must be between %d and %d", text.trim(), min, max);
        }
        return n;
      }
    };
  }

  /**
   * A float in [min, max], or in (min, max] when {@code openMin}; '-0' reads as 0 (the same
   * method_params and settings as '0').
   */
  public static OptionType<Float> decimal(float min, float max, boolean openMin) {
    return new OptionType<>(
        ParamKind.DOUBLE, (openMin ? "(" : "[") + num(min) + ", " + num(max) + "]") {
      @Override
      public Float parse(String option, String text) {
        float f = (float) number(option, text);
        if (!(f >= min && f <= max) || (openMin && f == min)) {
          throw openMin
              ? ConfigException.of(
                  option, "'%s' must be above %s and at most %s", text.trim(), num(min), num(max))
              : ConfigException.of(
                  option, "'%s' must be between %s and %s", text.trim(), num(min), num(max));
        }
        return f == 0 ? 0f : f;
      }
    };
  }

  /** A double in [min, max), or [min, max] when {@code closedMax}. */
  public static OptionType<Double> real(double min, double max, boolean closedMax) {
    return new OptionType<>(
        ParamKind.DOUBLE, "[" + num(min) + ", " + num(max) + (closedMax ? "]" : ")")) {
      @Override
      public Double parse(String option, String text) {
        double d = number(option, text);
        if (!(d >= min && (closedMax ? d <= max : d < max))) {
          throw closedMax
              ? ConfigException.of(
                  option, "'%s' must be between %s and %s", text.trim(), num(min), num(max))
              : ConfigException.of(
                  option, "'%s' must be at least %s and below %s", text.trim(), num(min), num(max));
        }
        return d == 0 ? 0d : d;
      }
    };
  }

  /** true or false. */
  public static OptionType<Boolean> bool() {
    return new OptionType<>(ParamKind.BOOLEAN, "true | false") {
      @Override
      public Boolean parse(String option, String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
          return v.equals("true");
        }
        throw ConfigException.of(option, "'%s' must be true or false", text.trim());
      }
    };
  }

  /**
   * Non-empty text, checked by {@code check} (which throws a ConfigException naming the option).
   */
  public static OptionType<String> text(String describe, Checker check) {
    return new OptionType<>(ParamKind.TEXT, describe) {
      @Override
      public String parse(String option, String text) {
        String v = text.trim();
        check.check(option, v);
        return v;
      }
    };
  }

  /**
   * One of {@code values}, by {@code code}; {@code what} names the kind in errors ("unknown
   * baseline 'x'").
   */
  @SafeVarargs
  public static <T> OptionType<T> choice(String what, Function<T, String> code, T... values) {
    List<T> all = List.of(values);
    String codes = all.stream().map(code).collect(Collectors.joining(" | "));
    return new OptionType<>(ParamKind.TEXT, codes) {
      @Override
      public T parse(String option, String text) {
        String v = text.trim();
        for (T t : all) {
          if (code.apply(t).equals(v)) {
            return t;
          }
        }
        throw ConfigException.of(
            option, "unknown %s '%s'; known: %s", what, v, codes.replace(" | ", ", "));
      }

      @Override
      public String format(T value) {
        return code.apply(value);
      }

      @Override
      public Object json(T value) {
        return code.apply(value);
      }
    };
  }

  /**
   * A comma list of distinct names, each one of {@code known} when that is not empty (errors call
   * one a {@code what}); an empty list only when {@code allowEmpty}.
   */
  public static OptionType<List<String>> names(
      String what, List<String> known, boolean allowEmpty) {
    return new OptionType<>(
        ParamKind.TEXT_LIST, known.isEmpty() ? "comma list" : String.join(", ", known)) {
      @Override
      public List<String> parse(String option, String text) {
        String v = text.trim();
        List<String> out = new ArrayList<>();
        if (v.isEmpty() && allowEmpty) {
          return List.of();
        }
        for (String part : v.split(",", -1)) {
          String name = part.trim();
          if (name.isEmpty()) {
            throw ConfigException.of(option, "'%s' has an empty entry", v);
          }
          if (!known.isEmpty() && !known.contains(name)) {
            throw ConfigException.of(
                option, "unknown %s '%s'; known: %s", what, name, String.join(", ", known));
          }
          if (out.contains(name)) {
            throw ConfigException.of(option, "'%s' is listed twice", name);
          }
          out.add(name);
        }
        return List.copyOf(out);
      }

      @Override
      public String format(List<String> value) {
        return String.join(",", value);
      }
    };
  }

  /** Three comma-separated finite numbers (R,G,B), positive ones when {@code positive}. */
  public static OptionType<List<Float>> rgb(boolean positive) {
    return new OptionType<>(ParamKind.NUMBER_LIST, positive ? "R,G,B > 0" : "R,G,B") {
      @Override
      public List<Float> parse(String option, String text) {
        String v = text.trim();
        String[] parts = v.split(",");
        if (parts.length != 3) {
          throw ConfigException.of(option, "'%s' must be three comma-separated numbers (R,G,B)", v);
        }
        Float[] out = new Float[3];
        for (int i = 0; i < 3; i++) {
          try {
            out[i] = Float.parseFloat(parts[i].trim());
          } catch (NumberFormatException e) {
            throw ConfigException.of(
                option, "'%s' has a value that is not a number ('%s')", v, parts[i].trim());
          }
          if (!Float.isFinite(out[i]) || (positive && out[i] <= 0)) {
            throw ConfigException.of(
                option, "'%s' must hold %s numbers", v, positive ? "positive finite" : "finite");
          }
        }
        return List.of(out);
      }

      @Override
      public String format(List<Float> value) {
        return value.stream().map(String::valueOf).collect(Collectors.joining(","));
      }
    };
  }

  /** Checks a text value; throws a {@link ConfigException} naming the option. */
  @FunctionalInterface
  public interface Checker extends Serializable {
    void check(String option, String value);
  }

  private static long whole(String option, String text) {
    String v = text.trim();
    try {
      return Long.parseLong(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw ConfigException.of(option, "'%s' is not a whole number", v);
    }
  }

  private static double number(String option, String text) {
    String v = text.trim();
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw ConfigException.of(option, "'%s' is not a number", v);
    }
  }

  /** A bound as people write it: 0, not 0.0. */
  private static String num(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  private static String range(long min, long max) {
    return min
        + ".."
        + (max == Integer.MAX_VALUE || max == Long.MAX_VALUE ? "" : Long.toString(max));
  }

  @Override
  public String toString() {
    return kind + " " + describe;
  }
}
