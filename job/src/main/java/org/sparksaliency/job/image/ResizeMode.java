package org.sparksaliency.job.image;

import java.util.Locale;

/** How an image of any shape becomes the model's square input ({@code --resize}). */
public enum ResizeMode {
  /** The whole image to N × N: nothing is cut off, the aspect ratio is not kept. */
  SQUASH,
  /**
   * The shorter side to the resize size, aspect ratio kept, then the centre N × N: torchvision's
   * eval transform {@code Resize(R), CenterCrop(N)}.
   */
  CROP;

  /** The option value and method_params value: {@code squash} or {@code crop}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
