package org.sparksaliency.job.method;

import java.util.Locale;

/** The reference input Integrated Gradients integrates from. */
public enum IgBaseline {
  /** All zeros after normalisation: the dataset-mean colour. */
  BLACK,
  /** The image itself under a strong Gaussian blur (sigma = image size / 16). */
  BLUR,
  /** Uniform noise over the [0, 1] pixel range, normalised; seeded from (--seed, image_id). */
  UNIFORM;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
