package org.sparksaliency.job.method;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.option.Settings;

/**
 * The validated values of every method option ({@link MethodRegistry#options()}), shipped to
 * executors; each method reads its own with {@link #get}.
 */
public final class MethodOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Every method option at its documented default. */
  public static final MethodOptions DEFAULTS =
      new MethodOptions(Settings.defaults(MethodRegistry.options()));

  private final Settings settings;

  private MethodOptions(Settings own) {
    this.settings = own;
  }

  /**
   * The method options among {@code settings} (which may hold other options too); the others at
   * defaults.
   */
  public static MethodOptions of(Settings settings) {
    Objects.requireNonNull(settings, "settings is null");
    Settings own = Settings.defaults(MethodRegistry.options());
    for (Option<?> o : MethodRegistry.options()) {
      own = copy(settings, own, o);
    }
    return new MethodOptions(own);
  }

  private static <T> Settings copy(Settings from, Settings to, Option<T> option) {
    return from.find(option).map(v -> to.with(option, v)).orElse(to);
  }

  public <T> T get(Option<T> option) {
    return settings.get(option);
  }

  /** A copy with {@code option} set, checked as its text would be. */
  public <T> MethodOptions with(Option<T> option, T value) {
    return new MethodOptions(settings.with(option, value));
  }

  public Settings settings() {
    return settings;
  }

  /** What {@code method}'s method_params hold for an imageSize × imageSize input, by key. */
  public Map<String, String> paramsOf(String method, int imageSize) {
    return MethodRegistry.definition(method).params().of(this, imageSize);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MethodOptions m && m.settings.equals(settings);
  }

  @Override
  public int hashCode() {
    return settings.hashCode();
  }

  @Override
  public String toString() {
    return settings.toString();
  }
}
