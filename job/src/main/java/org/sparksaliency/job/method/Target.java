package org.sparksaliency.job.method;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.sparksaliency.job.option.ConfigException;

/**
 * Which classes the heatmaps of an image explain ({@code --target}): the model's top K classes
 * ({@code predicted} is {@code top:1}), the manifest's label, or a fixed list of classes given by
 * index or, with a labels file, by name. Each explained class is one heatmap row per method.
 */
public final class Target implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The largest K of {@code top:K}. */
  public static final int MAX_TOP = 1000;

  /** What {@code --target} takes, for --help and docs/options.md. */
  public static final String FORMS = "predicted | label | top:K | class:C1,C2,...";

  /** How the classes are chosen. */
  public enum Kind {
    /** The model's K most probable classes, ranked by logit. */
    TOP,
    /** The label given for the image in the manifest. */
    LABEL,
    /** The same listed classes for every image. */
    CLASSES
  }

  /** The model's top-1 class. */
  public static final Target PREDICTED = new Target(Kind.TOP, 1, List.of());

  /** The label given for the image in the manifest. */
  public static final Target LABEL = new Target(Kind.LABEL, 0, List.of());

  private final Kind kind;
  private final int k;
  private final List<String> classes;

  private Target(Kind kind, int k, List<String> classes) {
    this.kind = kind;
    this.k = k;
    this.classes = List.copyOf(classes);
  }

  /** The model's {@code k} most probable classes. */
  public static Target top(int k) {
    if (k < 1 || k > MAX_TOP) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot explain the top %d classes: K must be between 1 and %d", k, MAX_TOP));
    }
    return k == 1 ? PREDICTED : new Target(Kind.TOP, k, List.of());
  }

  /** The listed classes, each a class index or a class name of the labels file. */
  public static Target classes(List<String> classes) {
    if (classes.isEmpty()) {
      throw new IllegalArgumentException("Cannot explain an empty list of classes");
    }
    return new Target(Kind.CLASSES, 0, classes);
  }

  /**
   * Reads a {@code --target} value: {@code predicted}, {@code label}, {@code top:K} or {@code
   * class:C1,C2,...}; a bad one fails with a {@link ConfigException} naming {@code option}.
   */
  public static Target parse(String option, String text) {
    String v = text.trim();
    String lower = v.toLowerCase(Locale.ROOT);
    if (lower.equals("predicted")) {
      return PREDICTED;
    }
    if (lower.equals("label")) {
      return LABEL;
    }
    if (lower.startsWith("top:")) {
      String n = v.substring(4).trim();
      int parsed;
      try {
        parsed = Integer.parseInt(n);
      } catch (NumberFormatException e) {
        throw ConfigException.of(option, "'%s': K in top:K must be a whole number, not '%s'", v, n);
      }
      if (parsed < 1 || parsed > MAX_TOP) {
        throw ConfigException.of(option, "'%s': K in top:K must be between 1 and %d", v, MAX_TOP);
      }
      return top(parsed);
    }
    if (lower.startsWith("class:")) {
      return classes(classList(option, v, v.substring(6)));
    }
    throw ConfigException.of(
        option, "unknown target '%s'; known: %s", v, FORMS.replace(" | ", ", "));
  }

  private static List<String> classList(String option, String value, String list) {
    List<String> out = new ArrayList<>();
    for (String part : list.split(",", -1)) {
      String c = part.trim();
      if (c.isEmpty()) {
        throw ConfigException.of(option, "'%s' has an empty class in its list", value);
      }
      if (out.contains(c)) {
        throw ConfigException.of(option, "'%s' lists class '%s' twice", value, c);
      }
      out.add(c);
    }
    return out;
  }

  public Kind kind() {
    return kind;
  }

  /** K of {@code top:K}; 0 for the other kinds. */
  public int k() {
    return k;
  }

  /** The listed classes of {@code class:...}, as given; empty for the other kinds. */
  public List<String> classes() {
    return classes;
  }

  /** Whether each image needs a manifest label naming a class. */
  public boolean needsLabel() {
    return kind == Kind.LABEL;
  }

  /** The listed classes that are names rather than class indices (they need a labels file). */
  public List<String> classNames() {
    return classes.stream().filter(c -> !isIndex(c)).toList();
  }

  /**
   * The class indices of {@code class:...}: each entry is the class of that name in {@code labels},
   * else a class index. Fails with a {@link ConfigException} naming {@code option} for a name that
   * is not in the labels, or an index past them (when there are labels).
   */
  public int[] classIndices(String option, List<String> labels) {
    int[] out = new int[classes.size()];
    for (int i = 0; i < out.length; i++) {
      String c = classes.get(i);
      int byName = labels.indexOf(c);
      if (byName >= 0) {
        out[i] = byName;
      } else if (!isIndex(c)) {
        throw ConfigException.of(
            option,
            labels.isEmpty()
                ? "'%s' names class '%s', which needs --labels (or give class indices)"
                : "'%s' names class '%s', which is not in the labels file (%d classes)",
            code(),
            c,
            labels.size());
      } else {
        out[i] = Integer.parseInt(c);
        if (!labels.isEmpty() && out[i] >= labels.size()) {
          throw ConfigException.of(
              option,
              "'%s' gives class index %d, past the labels file's %d classes",
              code(),
              out[i],
              labels.size());
        }
      }
    }
    for (int i = 0; i < out.length; i++) {
      for (int j = 0; j < i; j++) {
        if (out[i] == out[j]) {
          throw ConfigException.of(
              option,
              "'%s' lists class %d twice ('%s' and '%s')",
              code(),
              out[i],
              classes.get(j),
              classes.get(i));
        }
      }
    }
    return out;
  }

  private static boolean isIndex(String c) {
    return c.matches("[0-9]{1,9}");
  }

  /** The canonical text: {@code predicted}, {@code label}, {@code top:K} or {@code class:a,b}. */
  public String code() {
    return switch (kind) {
      case TOP -> k == 1 ? "predicted" : "top:" + k;
      case LABEL -> "label";
      case CLASSES -> "class:" + String.join(",", classes);
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Target t && t.kind == kind && t.k == k && t.classes.equals(classes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, k, classes);
  }

  @Override
  public String toString() {
    return code();
  }
}
