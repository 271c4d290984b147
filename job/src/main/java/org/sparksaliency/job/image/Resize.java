package org.sparksaliency.job.image;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How images are resized to the model input ({@code --resize}, {@code --resize-size}); which part
 * of an image the input shows is {@link #region}.
 *
 * @param mode squash or crop
 * @param shorterSide for crop, the length of the shorter side before the centre crop (torchvision's
 *     {@code Resize(R)}); 0 for squash
 */
public record Resize(ResizeMode mode, int shorterSide) implements Serializable {
  /** The whole image to N × N. */
  public static final Resize SQUASH = new Resize(ResizeMode.SQUASH, 0);

  /** torchvision's ImageNet eval ratio: 224 / 256. */
  private static final double CROP_RATIO = 0.875;

  public Resize {
    Objects.requireNonNull(mode, "Cannot create resize: mode is null");
    if (mode == ResizeMode.SQUASH ? shorterSide != 0 : shorterSide <= 0) {
      throw new IllegalArgumentException(
          "Cannot create resize: shorter side "
              + shorterSide
              + " with mode "
              + mode.code()
              + " (crop needs one above 0, squash none)");
    }
  }

  /** Shorter side to {@code shorterSide}, then the centre N × N. */
  public static Resize crop(int shorterSide) {
    return new Resize(ResizeMode.CROP, shorterSide);
  }

  /** The default shorter side for an N × N input: round(N / 0.875), 256 for 224. */
  public static int defaultShorterSide(int imageSize) {
    return (int) Math.round(imageSize / CROP_RATIO);
  }

  /**
   * Where the {@code imageSize × imageSize} input lies in a {@code width × height} image, with
   * torchvision's arithmetic: the longer side becomes {@code int(R × long / short)}, and the crop
   * starts at {@code round((resized − N) / 2)}, rounding halves to even as Python does.
   *
   * @throws IllegalArgumentException if the shorter side is below {@code imageSize} (checked with
   *     the options, so only reachable from code)
   */
  public InputRegion region(int imageSize, int width, int height) {
    if (mode == ResizeMode.SQUASH) {
      return new InputRegion(imageSize, imageSize, 0, 0, imageSize);
    }
    if (shorterSide < imageSize) {
      throw new IllegalArgumentException(
          "Cannot crop " + imageSize + " pixels from a shorter side of " + shorterSide);
    }
    int shortSide = Math.min(width, height);
    int longSide = (int) ((double) shorterSide * Math.max(width, height) / shortSide);
    int resizedWidth = width <= height ? shorterSide : longSide;
    int resizedHeight = width <= height ? longSide : shorterSide;
    return new InputRegion(
        resizedWidth,
        resizedHeight,
        (int) Math.rint((resizedWidth - imageSize) / 2.0),
        (int) Math.rint((resizedHeight - imageSize) / 2.0),
        imageSize);
  }

  /** What method_params records: {@code resize}, and {@code resize_size} for crop. */
  public Map<String, String> params() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("resize", mode.code());
    if (mode == ResizeMode.CROP) {
      p.put("resize_size", Integer.toString(shorterSide));
    }
    return p;
  }
}
