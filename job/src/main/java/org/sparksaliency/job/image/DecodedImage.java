package org.sparksaliency.job.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * A decoded image ready for the model.
 *
 * <p>The array is not copied: one image is 3 × size × size floats and is handed straight to the
 * model, so a copy per image would only cost time. The decoder never touches it again; whoever
 * holds the record must not change it.
 *
 * @param width width of the original image after its EXIF orientation was applied, in pixels
 * @param height height of the original image after its EXIF orientation was applied, in pixels
 * @param chw the model input: 3 planes (R, G, B) of size × size floats, row-major, scaled to [0, 1]
 *     then normalised per channel with the decoder's mean and std
 */
public record DecodedImage(int width, int height, float[] chw) implements DecodeResult {
  /**
   * Validates the components; the array is kept, not copied.
   *
   * @param width oriented width in pixels
   * @param height oriented height in pixels
   * @param chw the normalised model input
   * @throws IllegalArgumentException if a size is not positive or {@code chw} cannot hold 3 equal
   *     planes
   * @throws NullPointerException if {@code chw} is null
   */
  public DecodedImage {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot create decoded image: size must be positive (%d x %d)", width, height));
    }
    Objects.requireNonNull(chw, "Cannot create decoded image: chw is null");
    if (chw.length == 0 || chw.length % 3 != 0) {
      throw new IllegalArgumentException(
          "Cannot create decoded image: chw must hold 3 equal planes, got "
              + chw.length
              + " values");
    }
  }

  // A record compares arrays by identity; two decodes of the same bytes should be equal, so compare
  // contents.
  @Override
  public boolean equals(Object o) {
    return o instanceof DecodedImage other
        && width == other.width
        && height == other.height
        && Arrays.equals(chw, other.chw);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(chw);
  }

  // The default would print the whole tensor (150 000 values for a 224 × 224 input).
  @Override
  public String toString() {
    return "DecodedImage[width="
        + width
        + ", height="
        + height
        + ", chw="
        + chw.length
        + " floats]";
  }
}
