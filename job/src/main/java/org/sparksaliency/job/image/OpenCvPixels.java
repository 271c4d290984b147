package org.sparksaliency.job.image;

/**
 * Raw interleaved 8-bit pixels in OpenCV's layout, the form Spark's {@code image} data source
 * stores: rows top to bottom without padding, channels per pixel in OpenCV order. Converted to
 * packed RGB like decoded files are (see {@link RgbConverter}): grey copied to R, G and B, alpha
 * dropped.
 */
enum OpenCvPixels {
  /** CV_8UC1: one grey byte per pixel. */
  GREY(0, 1, "CV_8UC1"),
  /** CV_8UC3: blue, green, red. */
  BGR(16, 3, "CV_8UC3"),
  /** CV_8UC4: blue, green, red, alpha. */
  BGRA(24, 4, "CV_8UC4");

  private final int type;
  private final int channels;
  private final String typeName;

  OpenCvPixels(int type, int channels, String typeName) {
    this.type = type;
    this.channels = channels;
    this.typeName = typeName;
  }

  int channels() {
    return channels;
  }

  String typeName() {
    return typeName;
  }

  /** The layout of an OpenCV type code, or null for a type that is not 8-bit grey, BGR or BGRA. */
  static OpenCvPixels ofType(int type) {
    for (OpenCvPixels p : values()) {
      if (p.type == type) {
        return p;
      }
    }
    return null;
  }

  /** "0 (CV_8UC1), 16 (CV_8UC3), 24 (CV_8UC4)" for messages. */
  static String accepted() {
    StringBuilder sb = new StringBuilder();
    for (OpenCvPixels p : values()) {
      sb.append(sb.length() == 0 ? "" : ", ")
          .append(p.type)
          .append(" (")
          .append(p.typeName)
          .append(')');
    }
    return sb.toString();
  }

  /**
   * Packs {@code data}, which the caller has checked holds exactly width × height × channels bytes.
   */
  RgbPixels toRgb(int width, int height, byte[] data) {
    int[] rgb = new int[Math.multiplyExact(width, height)];
    for (int i = 0, at = 0; i < rgb.length; i++, at += channels) {
      if (channels == 1) {
        int v = data[at] & 0xff;
        rgb[i] = RgbPixels.pack(v, v, v);
      } else {
        rgb[i] = RgbPixels.pack(data[at + 2] & 0xff, data[at + 1] & 0xff, data[at] & 0xff);
      }
    }
    return new RgbPixels(width, height, rgb);
  }
}
