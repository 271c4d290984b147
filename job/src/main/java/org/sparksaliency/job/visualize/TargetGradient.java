package org.sparksaliency.job.visualize;

/** The model seen by the optimiser: one class's logit of an image, and its gradient. */
interface TargetGradient {

  /** The target logit and d(logit)/d(image) at {@code image} (normalised CHW). */
  Step at(float[] image);

  /** The target logit alone. */
  float logit(float[] image);

  /**
   * @param gradient same layout as the image
   */
  record Step(float logit, float[] gradient) {}
}
