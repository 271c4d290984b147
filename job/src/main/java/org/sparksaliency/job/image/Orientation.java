package org.sparksaliency.job.image;

/**
 * The eight EXIF orientations, described as how the displayed image's axes run over the stored
 * pixels.
 *
 * <p>For a displayed pixel (u, v): if {@link #transposed()} the displayed x axis runs along the
 * stored rows' y axis and the displayed y axis along the stored x axis, otherwise x along x and y
 * along y. {@link #reverseX()} and {@link #reverseY()} say whether the displayed x (respectively y)
 * axis runs backwards over its stored axis. Expressed this way the orientation can be folded into
 * the resampling tables instead of copying the pixels.
 */
enum Orientation {
  /** 1: stored as displayed. */
  TOP_LEFT(1, false, false, false),
  /** 2: mirrored horizontally. */
  TOP_RIGHT(2, false, true, false),
  /** 3: rotated 180°. */
  BOTTOM_RIGHT(3, false, true, true),
  /** 4: mirrored vertically. */
  BOTTOM_LEFT(4, false, false, true),
  /** 5: axes swapped, the transpose (mirrored horizontally, then rotated 90° counter-clockwise). */
  LEFT_TOP(5, true, false, false),
  /** 6: displayed after rotating the stored pixels 90° clockwise. */
  RIGHT_TOP(6, true, true, false),
  /** 7: axes swapped and both reversed (mirrored horizontally, then rotated 90° clockwise). */
  RIGHT_BOTTOM(7, true, true, true),
  /** 8: displayed after rotating the stored pixels 90° counter-clockwise. */
  LEFT_BOTTOM(8, true, false, true);

  private final int exifValue;
  private final boolean transposed;
  private final boolean reverseX;
  private final boolean reverseY;

  Orientation(int exifValue, boolean transposed, boolean reverseX, boolean reverseY) {
    this.exifValue = exifValue;
    this.transposed = transposed;
    this.reverseX = reverseX;
    this.reverseY = reverseY;
  }

  /**
   * The orientation for an EXIF Orientation tag value; anything outside 1..8 means "as stored", as
   * viewers do.
   */
  static Orientation fromExif(int value) {
    for (Orientation o : values()) {
      if (o.exifValue == value) {
        return o;
      }
    }
    return TOP_LEFT;
  }

  int exifValue() {
    return exifValue;
  }

  boolean transposed() {
    return transposed;
  }

  boolean reverseX() {
    return reverseX;
  }

  boolean reverseY() {
    return reverseY;
  }

  /** The displayed width of a stored image. */
  int displayedWidth(int storedWidth, int storedHeight) {
    return transposed ? storedHeight : storedWidth;
  }

  /** The displayed height of a stored image. */
  int displayedHeight(int storedWidth, int storedHeight) {
    return transposed ? storedWidth : storedHeight;
  }
}
