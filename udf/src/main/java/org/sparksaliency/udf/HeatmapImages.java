package org.sparksaliency.udf;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Renders heatmaps as PNG: alone through a colormap, or blended over the image they explain. */
public final class HeatmapImages {
  private HeatmapImages() {}

  /**
   * One pixel per cell, {@code width × height}, coloured by the min-max normalised value ({@code
   * byte / 255}).
   */
  public static byte[] png(EncodedHeatmap heatmap, Colormap colormap) {
    BufferedImage out =
        new BufferedImage(heatmap.width(), heatmap.height(), BufferedImage.TYPE_INT_RGB);
    byte[] bytes = heatmap.bytes();
    for (int y = 0; y < heatmap.height(); y++) {
      for (int x = 0; x < heatmap.width(); x++) {
        out.setRGB(x, y, colormap.rgb((bytes[y * heatmap.width() + x] & 0xFF) / 255.0));
      }
    }
    return encodePng(out);
  }

  /**
   * The image at its own size with the heatmap on top: the normalised map is area-resampled to the
   * image ({@link AreaResampler}; each cell covers its share of the image), coloured, and blended
   * per channel as {@code round((1 - alpha) * image + alpha * colour)}. The image is taken as
   * ImageIO decodes it: an EXIF orientation tag is not applied.
   *
   * @throws IllegalArgumentException if the bytes are not an image ImageIO can decode
   */
  public static byte[] overlay(
      byte[] image, EncodedHeatmap heatmap, double alpha, Colormap colormap) {
    return overlay(decode(image), heatmap, alpha, colormap);
  }

  /**
   * As {@link #overlay(byte[], EncodedHeatmap, double, Colormap)}, over an image already decoded
   * (for example resized for a thumbnail): the map covers the whole image.
   */
  public static byte[] overlay(
      BufferedImage base, EncodedHeatmap heatmap, double alpha, Colormap colormap) {
    int w = base.getWidth();
    int h = base.getHeight();
    float[] t =
        AreaResampler.resample(heatmap.normalised(), heatmap.height(), heatmap.width(), h, w);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int a = base.getRGB(x, y);
        int c = colormap.rgb(t[y * w + x]);
        out.setRGB(
            x,
            y,
            blend(a >> 16, c >> 16, alpha) << 16
                | blend(a >> 8, c >> 8, alpha) << 8
                | blend(a, c, alpha));
      }
    }
    return encodePng(out);
  }

  private static int blend(int under, int over, double alpha) {
    return (int) Math.round((1 - alpha) * (under & 0xFF) + alpha * (over & 0xFF));
  }

  private static BufferedImage decode(byte[] image) {
    try {
      // ImageIO.read closes the stream once a reader has read it; a memory-cached one holds no
      // other resource.
      BufferedImage decoded =
          ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(image)));
      if (decoded == null) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot overlay heatmap: %d image bytes are in no format ImageIO reads",
                image.length));
      }
      return decoded;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot overlay heatmap: the image does not decode (" + e.getMessage() + ")", e);
    }
  }

  private static byte[] encodePng(BufferedImage image) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("Cannot write PNG: no ImageIO writer for png");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write PNG: " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }
}
