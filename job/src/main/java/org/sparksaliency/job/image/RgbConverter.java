package org.sparksaliency.job.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;

/**
 * Turns a decoded {@link BufferedImage} of any layout the accepted readers produce into packed
 * 8-bit RGB.
 *
 * <p>The conversion reads raw samples instead of drawing with Java2D or calling {@code getRGB}, and
 * so behaves like PIL's {@code Image.convert("RGB")}, which is what PyTorch training pipelines use:
 *
 * <ul>
 *   <li>grey is copied to R, G and B (Java2D would treat it as linear grey and brighten mid-tones);
 *   <li>alpha is dropped, not composited: a transparent pixel keeps the colour stored under it;
 *   <li>embedded ICC profiles are ignored and samples taken as sRGB (a JPEG's profile is removed
 *       before the reader can apply it, see {@link JpegSegments#withoutIccProfiles});
 *   <li>samples of other bit depths are rescaled to 0..255 with rounding (16-bit: round(v / 257)).
 * </ul>
 */
final class RgbConverter {
  private RgbConverter() {}

  static RgbPixels convert(BufferedImage image) throws UnsupportedImageException {
    ColorModel model = image.getColorModel();
    Raster raster = image.getRaster();
    int width = raster.getWidth();
    int height = raster.getHeight();
    int[] rgb = new int[Math.multiplyExact(width, height)];
    int transferType = raster.getTransferType();
    if (transferType != DataBuffer.TYPE_BYTE
        && transferType != DataBuffer.TYPE_USHORT
        && transferType != DataBuffer.TYPE_INT) {
      throw new UnsupportedImageException(
          "Unsupported sample data type " + transferType + " (floating point?)");
    }
    if (model instanceof IndexColorModel palette) {
      fromPalette(raster, palette, rgb);
    } else {
      int colours = colourComponents(model);
      int[] bits = new int[colours];
      for (int band = 0; band < colours; band++) {
        bits[band] = raster.getSampleModel().getSampleSize(band);
        if (bits[band] < 1 || bits[band] > 16) {
          throw new UnsupportedImageException("Unsupported sample size of " + bits[band] + " bits");
        }
      }
      if (!fromInterleavedBytes(raster, colours, bits, rgb)) {
        fromSamples(raster, colours, bits, rgb);
      }
    }
    return new RgbPixels(width, height, rgb);
  }

  /** 1 for grey, 3 for RGB; anything else (CMYK, YCbCr, Lab...) has no agreed conversion here. */
  private static int colourComponents(ColorModel model) throws UnsupportedImageException {
    ColorSpace space = model.getColorSpace();
    int colours = model.getNumColorComponents();
    if (colours == 1 && space.getType() == ColorSpace.TYPE_GRAY) {
      return 1;
    }
    if (colours == 3 && space.getType() == ColorSpace.TYPE_RGB) {
      return 3;
    }
    throw new UnsupportedImageException(
        "Unsupported colour space (type "
            + space.getType()
            + ") with "
            + colours
            + " colour components");
  }

  private static void fromPalette(Raster raster, IndexColorModel palette, int[] rgb) {
    int[] colours = new int[palette.getMapSize()];
    palette.getRGBs(colours);
    int width = raster.getWidth();
    int[] row = new int[width];
    for (int y = 0; y < raster.getHeight(); y++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, 0, row);
      int out = y * width;
      for (int x = 0; x < width; x++) {
        int index = row[x];
        // A corrupt GIF may use indices past its palette; show them black rather than fail.
        rgb[out + x] = index < colours.length ? colours[index] & 0xFFFFFF : 0;
      }
    }
  }

  /**
   * The common case (JPEG, 8-bit PNG, 24-bit BMP): 8-bit samples interleaved in one byte array,
   * read in place. Returns false when the raster is laid out otherwise.
   */
  private static boolean fromInterleavedBytes(Raster raster, int colours, int[] bits, int[] rgb) {
    SampleModel sampleModel = raster.getSampleModel();
    if (!(sampleModel instanceof ComponentSampleModel layout)
        || !(raster.getDataBuffer() instanceof DataBufferByte buffer)) {
      return false;
    }
    for (int band = 0; band < colours; band++) {
      if (bits[band] != 8 || layout.getBankIndices()[band] != 0) {
        return false;
      }
    }
    byte[] data = buffer.getData(0);
    int[] bandOffsets = layout.getBandOffsets();
    int pixelStride = layout.getPixelStride();
    int scanlineStride = layout.getScanlineStride();
    // Raster coordinates map to sample-model coordinates through the translation (zero for a
    // reader's image).
    int originX = raster.getMinX() - raster.getSampleModelTranslateX();
    int originY = raster.getMinY() - raster.getSampleModelTranslateY();
    int base = buffer.getOffsets()[0] + originY * scanlineStride + originX * pixelStride;
    int width = raster.getWidth();
    int height = raster.getHeight();
    int r = bandOffsets[0];
    int g = colours == 3 ? bandOffsets[1] : r;
    int b = colours == 3 ? bandOffsets[2] : r;
    for (int y = 0; y < height; y++) {
      int in = base + y * scanlineStride;
      int out = y * width;
      for (int x = 0; x < width; x++, in += pixelStride) {
        rgb[out + x] =
            RgbPixels.pack(data[in + r] & 0xff, data[in + g] & 0xff, data[in + b] & 0xff);
      }
    }
    return true;
  }

  /**
   * Any other grey or RGB layout (16-bit, packed 5-6-5, grey + alpha...), one row of samples at a
   * time.
   */
  private static void fromSamples(Raster raster, int colours, int[] bits, int[] rgb) {
    int width = raster.getWidth();
    int bands = raster.getNumBands();
    int[] row = new int[width * bands];
    int[] max = new int[colours];
    for (int band = 0; band < colours; band++) {
      max[band] = (1 << bits[band]) - 1;
    }
    for (int y = 0; y < raster.getHeight(); y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
      int out = y * width;
      for (int x = 0, in = 0; x < width; x++, in += bands) {
        int r = to8Bits(row[in], max[0]);
        if (colours == 1) {
          rgb[out + x] = RgbPixels.pack(r, r, r);
        } else {
          rgb[out + x] =
              RgbPixels.pack(r, to8Bits(row[in + 1], max[1]), to8Bits(row[in + 2], max[2]));
        }
      }
    }
  }

  private static int to8Bits(int sample, int max) {
    if (max == 255) {
      return sample;
    }
    return (sample * 255 + (max >> 1)) / max;
  }
}
