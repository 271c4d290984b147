package org.sparksaliency.job.method;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import org.sparksaliency.job.option.Option;

/**
 * A method as the registry knows it: its name, the options that change its maps (they make its
 * {@code method_params}), how it checks them and how it is made. A method declares its options and
 * this next to its code; nothing else lists them.
 *
 * @param name the method's name in --methods and the tables
 * @param factory makes the method for validated options
 * @param options the options that change its maps, each written into method_params under its key
 * @param check checks its options together (and against the image size) on the driver
 * @param params what method_params holds; by default each of {@code options} as given
 */
public record MethodDefinition(
    String name,
    Function<MethodOptions, SaliencyMethod> factory,
    List<Option<?>> options,
    Check check,
    Params params) {

  /** Checks a method's options on the driver; throws a ConfigException naming the option. */
  @FunctionalInterface
  public interface Check {
    /**
     * @param selected whether the run computes this method (some checks only matter then)
     */
    void check(MethodOptions options, int imageSize, boolean selected);
  }

  /** The settings written into method_params, by key. */
  @FunctionalInterface
  public interface Params {
    Map<String, String> of(MethodOptions options, int imageSize);
  }

  public MethodDefinition {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(factory, "factory is null");
    options = List.copyOf(options);
    Objects.requireNonNull(check, "check is null");
    Objects.requireNonNull(params, "params is null");
  }

  /** A method with no options of its own. */
  public static MethodDefinition of(String name, Function<MethodOptions, SaliencyMethod> factory) {
    return of(name, factory, List.of());
  }

  /** A method reading {@code options}, each written into method_params as given. */
  public static MethodDefinition of(
      String name, Function<MethodOptions, SaliencyMethod> factory, List<Option<?>> options) {
    return new MethodDefinition(
        name, factory, options, (o, size, selected) -> {}, asGiven(options));
  }

  public MethodDefinition checkedBy(Check newCheck) {
    return new MethodDefinition(name, factory, options, newCheck, params);
  }

  public MethodDefinition paramsBy(Params newParams) {
    return new MethodDefinition(name, factory, options, check, newParams);
  }

  /**
   * With a fixed entry in method_params besides the options: a property of the implementation that
   * changes the maps (a random stream), so that --incremental does not keep maps made another way.
   */
  public MethodDefinition withParam(String key, String value) {
    Params base = params;
    return paramsBy(
        (o, imageSize) -> {
          Map<String, String> p = new TreeMap<>(base.of(o, imageSize));
          p.put(key, value);
          return p;
        });
  }

  private static Params asGiven(List<Option<?>> options) {
    List<Option<?>> copy = List.copyOf(options);
    return (o, imageSize) -> {
      Map<String, String> p = new TreeMap<>();
      for (Option<?> option : copy) {
        p.put(option.key(), o.settings().text(option).orElseThrow());
      }
      return p;
    };
  }
}
