package org.sparksaliency.job.input;

import java.util.List;
import java.util.Optional;

/**
 * The class a row's label names, for {@code --target label}: its index in the labels file, or,
 * without a labels file, the label read as a class index.
 */
public final class LabelIndex {
  private final List<String> classNames;

  /**
   * @param classNames the labels file's names by class index; empty without one
   */
  public LabelIndex(List<String> classNames) {
    this.classNames = List.copyOf(classNames);
  }

  /** The class {@code label} names; empty for a null label, or one that names no known class. */
  public Optional<Integer> of(String label) {
    if (label == null) {
      return Optional.empty();
    }
    int byName = classNames.indexOf(label);
    if (byName >= 0) {
      return Optional.of(byName);
    }
    if (classNames.isEmpty()) {
      try {
        return Optional.of(Integer.parseInt(label.trim()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
