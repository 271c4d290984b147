package org.sparksaliency.job.option;

import java.io.Serializable;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Validated values of a set of options, immutable: each declared option with its given value or its
 * default (options without either are absent). Serializable, so executors read the same values as
 * the driver.
 */
public final class Settings implements Serializable {
  private static final long serialVersionUID = 1L;

  // Names, not the options: an option's type holds code (parsers, checks) that is not shipped to
  // executors.
  private final Set<String> names;
  private final Map<String, Object> values;

  private Settings(Set<String> names, Map<String, Object> values) {
    this.names = names;
    this.values = values;
  }

  /**
   * Reads {@code given} (option name to text) for the declared {@code options}: defaults fill the
   * rest, a required option without a value fails, and so does a name that is not declared.
   */
  public static Settings read(Collection<Option<?>> declared, Map<String, String> given) {
    Map<String, Option<?>> byName = new LinkedHashMap<>();
    for (Option<?> o : declared) {
      Option<?> before = byName.put(o.name(), o);
      if (before != null && before != o) {
        throw new IllegalArgumentException("Cannot declare option " + o + " twice");
      }
    }
    for (String name : given.keySet()) {
      if (!byName.containsKey(name)) {
        throw ConfigException.unknownOption(name, byName.keySet());
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Option<?> o : byName.values()) {
      String text = given.get(o.name());
      if (text == null || text.isBlank()) {
        if (o.required()) {
          throw ConfigException.of(o.name(), "it is required (%s)", o.help());
        }
        text = o.defaultText().orElse(null);
      }
      if (text != null) {
        values.put(o.name(), o.parse(text));
      }
    }
    return new Settings(Set.copyOf(byName.keySet()), values);
  }

  /** Every declared option at its default. */
  public static Settings defaults(Collection<Option<?>> declared) {
    return read(declared, Map.of());
  }

  /** The value of {@code option}; fails for an option without one (see {@link #find}). */
  public <T> T get(Option<T> option) {
    return find(option)
        .orElseThrow(
            () -> new IllegalArgumentException("Cannot read " + option + ": it has no value here"));
  }

  /** The value of {@code option}, empty when it has none (an optional option not given). */
  @SuppressWarnings("unchecked")
  public <T> Optional<T> find(Option<T> option) {
    requireDeclared(option);
    return Optional.ofNullable((T) values.get(option.name()));
  }

  /** A copy with {@code option} set to {@code value}, checked as its text would be. */
  public <T> Settings with(Option<T> option, T value) {
    requireDeclared(option);
    T checked = option.parse(option.format(value));
    Map<String, Object> copy = new LinkedHashMap<>(values);
    copy.put(option.name(), checked);
    return new Settings(names, copy);
  }

  /** Whether {@code option} is one of the declared options. */
  public boolean declares(Option<?> option) {
    return names.contains(option.name());
  }

  /** The canonical text of an option's value; empty when it has none. */
  public <T> Optional<String> text(Option<T> option) {
    return find(option).map(option::format);
  }

  /** The run.json form of an option's value; null when it has none. */
  public <T> Object json(Option<T> option) {
    return find(option).map(v -> option.type().json(v)).orElse(null);
  }

  private void requireDeclared(Option<?> option) {
    // By name: an executor's deserialised Settings meet the option constants of its own class
    // loader.
    if (!names.contains(option.name())) {
      throw new IllegalArgumentException("Cannot use " + option + ": it is not one of " + names);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Settings s && s.values.equals(values) && s.names.equals(names);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
