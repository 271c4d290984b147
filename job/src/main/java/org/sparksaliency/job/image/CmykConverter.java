package org.sparksaliency.job.image;

import java.awt.image.Raster;

/**
 * Converts the raw four-component raster of a CMYK or YCCK JPEG into RGB.
 *
 * <p>The JDK's JPEG reader cannot (or, in newer updates, does not reliably) produce an RGB image
 * for these files, but {@code readRaster} hands over the stored components untouched. The
 * conversion is the naive, profile-free one that libjpeg-based tools use: R = 255 × (1 − C) × (1 −
 * K) in ink fractions. Embedded CMYK ICC profiles are ignored, so colours are approximate — good
 * enough for a classifier, which is what the input is for.
 *
 * <p>Files written by Adobe software (those with an APP14 "Adobe" segment) store CMYK inverted, 255
 * meaning no ink; YCCK always comes from Adobe and, once its Y/Cb/Cr part is turned back into
 * inverted C/M/Y the way libjpeg does it, is treated the same way.
 */
final class CmykConverter {
  private CmykConverter() {}

  static RgbPixels convert(Raster raster, JpegHeader header) throws UnsupportedImageException {
    if (raster.getNumBands() != 4) {
      throw new UnsupportedImageException(
          "Unsupported JPEG with "
              + raster.getNumBands()
              + " components: only 4-component CMYK/YCCK is converted");
    }
    boolean ycck = header.ycck();
    boolean inverted = header.adobe();
    int width = raster.getWidth();
    int height = raster.getHeight();
    int[] rgb = new int[Math.multiplyExact(width, height)];
    int[] row = new int[width * 4];
    for (int y = 0; y < height; y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
      int out = y * width;
      for (int x = 0, in = 0; x < width; x++, in += 4) {
        int c = row[in];
        int m = row[in + 1];
        int ye = row[in + 2];
        int k = row[in + 3];
        if (ycck) {
          // libjpeg's YCCK -> CMYK: C, M, Y = 255 - (the RGB that Y, Cb, Cr encode); K passes
          // through.
          int luma = c;
          int cb = m - 128;
          int cr = ye - 128;
          c = 255 - clamp(Math.round(luma + 1.402f * cr));
          m = 255 - clamp(Math.round(luma - 0.344136f * cb - 0.714136f * cr));
          ye = 255 - clamp(Math.round(luma + 1.772f * cb));
        }
        if (inverted) {
          c = 255 - c;
          m = 255 - m;
          ye = 255 - ye;
          k = 255 - k;
        }
        // Now ink amounts: 0 = none, 255 = full.
        int white = 255 - k;
        rgb[out + x] =
            RgbPixels.pack(scale(255 - c, white), scale(255 - m, white), scale(255 - ye, white));
      }
    }
    return new RgbPixels(width, height, rgb);
  }

  /** a × b / 255, rounded. */
  private static int scale(int a, int b) {
    return (a * b + 127) / 255;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
