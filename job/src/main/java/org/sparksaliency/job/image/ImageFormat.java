package org.sparksaliency.job.image;

import java.util.Locale;

/** The image formats the job accepts, each read by the JDK's own ImageIO reader. */
enum ImageFormat {
  JPEG("jpeg"),
  PNG("png"),
  GIF("gif"),
  BMP("bmp"),
  WBMP("wbmp");

  private final String displayName;

  ImageFormat(String displayName) {
    this.displayName = displayName;
  }

  /** The lowercase name used in messages. */
  String displayName() {
    return displayName;
  }

  /**
   * The accepted format among an ImageIO reader's format names, or {@code null} if it reads
   * something else (TIFF, or whatever a plugin on the class path adds).
   */
  static ImageFormat fromReaderFormatNames(String[] formatNames) {
    for (String name : formatNames) {
      switch (name.toLowerCase(Locale.ROOT)) {
        case "jpeg", "jpg" -> {
          return JPEG;
        }
        case "png" -> {
          return PNG;
        }
        case "gif" -> {
          return GIF;
        }
        case "bmp" -> {
          return BMP;
        }
        case "wbmp" -> {
          return WBMP;
        }
        default -> {
          // keep looking: a reader lists several aliases
        }
      }
    }
    return null;
  }
}
