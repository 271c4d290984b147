package org.sparksaliency.job.image;

/**
 * The image formats the job accepts, each read by one named ImageIO reader, whatever else is on the
 * class path: the JDK's own for JPEG, PNG, GIF, BMP, WBMP and TIFF, TwelveMonkeys' for WebP (the
 * JDK has none). {@link FormatProbe} tries them in this order; WBMP, whose header has no signature,
 * comes last.
 */
enum ImageFormat {
  JPEG("jpeg", "com.sun.imageio.plugins.jpeg.JPEGImageReaderSpi"),
  PNG("png", "com.sun.imageio.plugins.png.PNGImageReaderSpi"),
  GIF("gif", "com.sun.imageio.plugins.gif.GIFImageReaderSpi"),
  BMP("bmp", "com.sun.imageio.plugins.bmp.BMPImageReaderSpi"),
  TIFF("tiff", "com.sun.imageio.plugins.tiff.TIFFImageReaderSpi"),
  WEBP("webp", "com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi"),
  WBMP("wbmp", "com.sun.imageio.plugins.wbmp.WBMPImageReaderSpi");

  private final String displayName;
  private final String readerProvider;

  ImageFormat(String displayName, String readerProvider) {
    this.displayName = displayName;
    this.readerProvider = readerProvider;
  }

  /** The lowercase name used in messages. */
  String displayName() {
    return displayName;
  }

  /** The class name of the {@link javax.imageio.spi.ImageReaderSpi} that reads this format. */
  String readerProvider() {
    return readerProvider;
  }
}
