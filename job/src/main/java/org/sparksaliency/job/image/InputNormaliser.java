package org.sparksaliency.job.image;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * The step every decode ends with, and the limits it starts with: the pixel count an image may have
 * ({@code maxPixels}, checked before any pixel is allocated), and the model input made from RGB
 * pixels: oriented, resized (and for {@code crop} centre-cropped) to imageSize × imageSize ({@link
 * Resize}, {@link BilinearResampler}), scaled to [0, 1] and normalised per channel.
 *
 * <p>Immutable and Serializable, re-validated after Java deserialisation.
 */
final class InputNormaliser implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int imageSize;
  private final Resize resize;
  private final float[] mean;
  private final float[] std;
  private final long maxPixels;

  /** Whether the normalisation cannot give NaN or infinity (then inputs are not scanned). */
  private final transient boolean alwaysFinite;

  /**
   * See {@link ImageDecoder#ImageDecoder(int, Resize, float[], float[], long)}: the same arguments
   * and checks.
   */
  InputNormaliser(int imageSize, Resize resize, float[] mean, float[] std, long maxPixels) {
    Objects.requireNonNull(resize, "Cannot create image decoder: resize is null");
    Objects.requireNonNull(mean, "Cannot create image decoder: mean is null");
    Objects.requireNonNull(std, "Cannot create image decoder: std is null");
    if (imageSize <= 0 || imageSize > ImageDecoder.MAX_IMAGE_SIZE) {
      throw new IllegalArgumentException(
          "Cannot create image decoder: imageSize must be in 1.."
              + ImageDecoder.MAX_IMAGE_SIZE
              + ", got "
              + imageSize);
    }
    if (resize.mode() == ResizeMode.CROP && resize.shorterSide() < imageSize) {
      throw new IllegalArgumentException(
          "Cannot create image decoder: the crop's shorter side "
              + resize.shorterSide()
              + " is below imageSize "
              + imageSize);
    }
    if (mean.length != 3) {
      throw new IllegalArgumentException(
          "Cannot create image decoder: mean must have 3 values (R, G, B), got " + mean.length);
    }
    if (std.length != 3) {
      throw new IllegalArgumentException(
          "Cannot create image decoder: std must have 3 values (R, G, B), got " + std.length);
    }
    for (int c = 0; c < 3; c++) {
      if (!Float.isFinite(mean[c])) {
        throw new IllegalArgumentException(
            "Cannot create image decoder: mean[" + c + "] must be finite, got " + mean[c]);
      }
      if (!(std[c] > 0) || !Float.isFinite(std[c])) {
        throw new IllegalArgumentException(
            "Cannot create image decoder: std["
                + c
                + "] must be finite and above 0, got "
                + std[c]);
      }
    }
    if (maxPixels <= 0) {
      throw new IllegalArgumentException(
          "Cannot create image decoder: maxPixels must be above 0, got " + maxPixels);
    }
    this.imageSize = imageSize;
    this.resize = resize;
    this.mean = mean.clone();
    this.std = std.clone();
    this.maxPixels = maxPixels;
    this.alwaysFinite = alwaysFinite(this.mean, this.std);
  }

  /**
   * Whether every 8-bit value 0..255 normalises to a finite float for these mean and std: the
   * normalisation v · (1 / (255 std)) − mean / std is monotone in v, and so is each rounding step,
   * so 0 and 255 bound it. Then no input needs scanning for NaN or infinity.
   */
  private static boolean alwaysFinite(float[] mean, float[] std) {
    PixelScale pixel = new PixelScale(mean, std);
    for (int c = 0; c < 3; c++) {
      float scale = pixel.scale[c];
      float offset = pixel.offset[c];
      if (!Float.isFinite(scale)
          || !Float.isFinite(offset)
          || !Float.isFinite(0f * scale + offset)
          || !Float.isFinite(255f * scale + offset)) {
        return false;
      }
    }
    return true;
  }

  int imageSize() {
    return imageSize;
  }

  /**
   * A {@link QuarantineReason#TOO_LARGE} failure for an image of more pixels than the limit; null
   * if it fits.
   */
  DecodeFailure checkPixelCount(int width, int height) {
    long pixels = (long) width * height;
    long limit = Math.min(maxPixels, ImageDecoder.MAX_DECODABLE_PIXELS);
    if (pixels <= limit) {
      return null;
    }
    return new DecodeFailure(
        QuarantineReason.TOO_LARGE,
        String.format(
            "image is %d x %d = %d pixels, more than the limit of %d",
            width, height, pixels, limit));
  }

  /** The model input from {@code pixels} shown in {@code orientation}, or why there is none. */
  DecodeResult toModelInput(RgbPixels pixels, Orientation orientation) {
    InputRegion region =
        resize.region(
            imageSize,
            orientation.displayedWidth(pixels.width(), pixels.height()),
            orientation.displayedHeight(pixels.width(), pixels.height()));
    float[] chw = BilinearResampler.toChw(pixels, orientation, region, mean, std);
    int bad = alwaysFinite ? -1 : firstNonFinite(chw);
    if (bad >= 0) {
      // Only reachable with extreme mean/std (such as a tiny std overflowing to infinity), but the
      // model must
      // never see NaN or infinity.
      return new DecodeFailure(
          QuarantineReason.NON_FINITE,
          String.format(
              "normalised input holds %s at index %d (mean %s, std %s)",
              chw[bad], bad, Arrays.toString(mean), Arrays.toString(std)));
    }
    return new DecodedImage(
        orientation.displayedWidth(pixels.width(), pixels.height()),
        orientation.displayedHeight(pixels.width(), pixels.height()),
        chw);
  }

  private static int firstNonFinite(float[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        return i;
      }
    }
    return -1;
  }

  /** Re-validates after Java deserialisation, which bypasses the constructor. */
  private Object readResolve() {
    return new InputNormaliser(imageSize, resize, mean, std, maxPixels);
  }
}
