package org.sparksaliency.job.method;

/** Which class a heatmap explains. */
public enum Target {
  /** The model's top-1 class. */
  PREDICTED,
  /** The label given for the image in the manifest. */
  LABEL;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
