package org.sparksaliency.job.image;

/**
 * Where the model input lies in an image: the image (after its EXIF orientation) is resized to
 * {@code resizedWidth × resizedHeight} and the input is the {@code size × size} square at ({@code
 * left}, {@code top}) of that. For {@code squash} the resized image is the input itself.
 *
 * @param resizedWidth width of the resized image
 * @param resizedHeight height of the resized image
 * @param left first column of the input in the resized image
 * @param top first row of the input in the resized image
 * @param size the model input's side
 */
public record InputRegion(int resizedWidth, int resizedHeight, int left, int top, int size) {
  public InputRegion {
    if (size <= 0
        || left < 0
        || top < 0
        || left + size > resizedWidth
        || top + size > resizedHeight) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot place a %d x %d input at (%d, %d) in a %d x %d image",
              size, size, left, top, resizedWidth, resizedHeight));
    }
  }

  /** Left edge of the input as a fraction of the image width (0 for the whole image). */
  public double x0() {
    return (double) left / resizedWidth;
  }

  /** Right edge of the input as a fraction of the image width (1 for the whole image). */
  public double x1() {
    return (double) (left + size) / resizedWidth;
  }

  /** Top edge of the input as a fraction of the image height. */
  public double y0() {
    return (double) top / resizedHeight;
  }

  /** Bottom edge of the input as a fraction of the image height. */
  public double y1() {
    return (double) (top + size) / resizedHeight;
  }

  /** Whether the input shows the whole image. */
  public boolean wholeImage() {
    return left == 0 && top == 0 && size == resizedWidth && size == resizedHeight;
  }
}
