package org.sparksaliency.job.option;

import java.io.Serializable;

/**
 * An option type whose text has a structure of its own (such as {@code top:3}): read by a parser
 * that throws a {@link ConfigException} naming the option, written back by a formatter as the
 * canonical text that method_params and run.json record.
 *
 * @param <T> the value's Java type
 */
public final class StructuredType<T> extends OptionType<T> {
  private static final long serialVersionUID = 1L;

  private final Parser<T> parser;
  private final Formatter<T> formatter;

  private StructuredType(String describe, Parser<T> parser, Formatter<T> formatter) {
    super(ParamKind.TEXT, describe);
    this.parser = parser;
    this.formatter = formatter;
  }

  /**
   * @param describe the allowed forms, for --help and the options reference
   */
  public static <T> StructuredType<T> of(
      String describe, Parser<T> parser, Formatter<T> formatter) {
    return new StructuredType<>(describe, parser, formatter);
  }

  @Override
  public T parse(String option, String text) {
    return parser.parse(option, text);
  }

  @Override
  public String format(T value) {
    return formatter.format(value);
  }

  @Override
  public Object json(T value) {
    return formatter.format(value);
  }

  /** Reads a value; throws a {@link ConfigException} naming the option. */
  @FunctionalInterface
  public interface Parser<T> extends Serializable {
    T parse(String option, String text);
  }

  /** Writes a value as its canonical text. */
  @FunctionalInterface
  public interface Formatter<T> extends Serializable {
    String format(T value);
  }
}
