package org.sparksaliency.job.image;

/**
 * A stored (not yet oriented) image as one packed {@code 0xRRGGBB} int per pixel, row-major: the
 * single intermediate form every colour model is converted to, so that resampling has one fast
 * path.
 */
record RgbPixels(int width, int height, int[] rgb) {
  RgbPixels {
    if (width <= 0 || height <= 0 || rgb.length != (long) width * height) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot create RGB pixels: %d values for %d x %d", rgb.length, width, height));
    }
  }

  static int pack(int r, int g, int b) {
    return (r << 16) | (g << 8) | b;
  }
}
