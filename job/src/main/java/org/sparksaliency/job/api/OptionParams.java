package org.sparksaliency.job.api;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import org.sparksaliency.job.config.OptionsReference;
import org.sparksaliency.job.option.Option;

/**
 * An option as a Spark ML param: the param class its type maps to, named in camel case and
 * documented with the option's help line, and the conversions between param values and option text.
 */
final class OptionParams {
  private OptionParams() {}

  /** The param of {@code option} owned by {@code parent}. */
  static Param<?> param(Params parent, Option<?> option) {
    String name = option.parameter();
    String doc = OptionsReference.describe(option);
    return switch (option.type().kind()) {
      case INT -> new IntParam(parent, name, doc);
      case LONG -> new LongParam(parent, name, doc);
      case DOUBLE -> new DoubleParam(parent, name, doc);
      case BOOLEAN -> new BooleanParam(parent, name, doc);
      case TEXT -> new Param<String>(parent, name, doc);
      case TEXT_LIST -> new StringArrayParam(parent, name, doc);
      case NUMBER_LIST -> new DoubleArrayParam(parent, name, doc);
    };
  }

  /** The param value of an option's text (a default, or a formatted value). */
  static Object value(Option<?> option, String text) {
    return switch (option.type().kind()) {
      case INT -> Integer.parseInt(text);
      case LONG -> Long.parseLong(text);
      case DOUBLE -> Double.parseDouble(text);
      case BOOLEAN -> Boolean.parseBoolean(text);
      case TEXT -> text;
      case TEXT_LIST -> text.isEmpty() ? new String[0] : text.split(",");
      case NUMBER_LIST -> Arrays.stream(text.split(",")).mapToDouble(Double::parseDouble).toArray();
    };
  }

  /** The option text of a param value, which the option's own parser then checks. */
  static String text(Option<?> option, Object value) {
    return switch (option.type().kind()) {
      case TEXT_LIST -> String.join(",", (String[]) value);
      case NUMBER_LIST ->
          Arrays.stream((double[]) value)
              .mapToObj(Double::toString)
              .collect(Collectors.joining(","));
      default -> String.valueOf(value);
    };
  }

  /** The param value of a typed option value. */
  static <T> Object of(Option<T> option, T value) {
    return value(option, option.format(value));
  }
}
