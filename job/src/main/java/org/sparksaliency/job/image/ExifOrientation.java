package org.sparksaliency.job.image;

/**
 * Reads the Orientation tag (0x0112) from IFD0 of an APP1 Exif segment.
 *
 * <p>A hand-written parser instead of ImageIO metadata: the JDK's JPEG metadata does not interpret
 * Exif, and the data is untrusted, so every offset is checked against the segment before it is used
 * and anything malformed simply means "no orientation". Only IFD0 is visited, so the work is
 * bounded by its entry count.
 */
final class ExifOrientation {
  /** The value that means "stored as displayed", used whenever the tag is missing or unreadable. */
  static final int NORMAL = 1;

  private static final int ORIENTATION_TAG = 0x0112;
  private static final int TYPE_SHORT = 3;
  private static final int TYPE_LONG = 4;
  private static final int IFD_ENTRY_SIZE = 12;
  private static final byte[] EXIF_HEADER = {'E', 'x', 'i', 'f', 0, 0};

  private ExifOrientation() {}

  /** Whether an APP1 payload is Exif (XMP also lives in APP1). */
  static boolean isExif(byte[] data, int start, int length) {
    if (!inBounds(data, start, length) || length < EXIF_HEADER.length) {
      return false;
    }
    for (int i = 0; i < EXIF_HEADER.length; i++) {
      if (data[start + i] != EXIF_HEADER[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The Orientation value (1..8) of an APP1 payload of {@code length} bytes at {@code start}, or
   * {@link #NORMAL} if the payload is not Exif, has no such tag, or is malformed. Never throws.
   */
  static int parse(byte[] data, int start, int length) {
    if (!isExif(data, start, length)) {
      return NORMAL;
    }
    // Offsets inside Exif are relative to the TIFF header that follows "Exif\0\0".
    int tiff = start + EXIF_HEADER.length;
    int tiffLength = length - EXIF_HEADER.length;
    if (tiffLength < 8) {
      return NORMAL;
    }
    boolean littleEndian;
    if (data[tiff] == 'I' && data[tiff + 1] == 'I') {
      littleEndian = true;
    } else if (data[tiff] == 'M' && data[tiff + 1] == 'M') {
      littleEndian = false;
    } else {
      return NORMAL;
    }
    if (u16(data, tiff + 2, littleEndian) != 42) {
      return NORMAL;
    }
    long ifd = u32(data, tiff + 4, littleEndian);
    if (ifd < 8 || ifd > tiffLength - 2L) {
      return NORMAL;
    }
    int entryCount = u16(data, tiff + (int) ifd, littleEndian);
    long firstEntry = ifd + 2;
    for (int i = 0; i < entryCount; i++) {
      long entry = firstEntry + (long) i * IFD_ENTRY_SIZE;
      if (entry + IFD_ENTRY_SIZE > tiffLength) {
        return NORMAL; // the directory claims more entries than the segment holds
      }
      int at = tiff + (int) entry;
      if (u16(data, at, littleEndian) != ORIENTATION_TAG) {
        continue;
      }
      int type = u16(data, at + 2, littleEndian);
      long count = u32(data, at + 4, littleEndian);
      if (count < 1) {
        return NORMAL;
      }
      // The value fits in the entry itself; it is left-aligned, so a SHORT is the first two bytes.
      long value =
          switch (type) {
            case TYPE_SHORT -> u16(data, at + 8, littleEndian);
            case TYPE_LONG ->
                u32(data, at + 8, littleEndian); // not per spec, but some writers do it
            default -> NORMAL;
          };
      return value >= 1 && value <= 8 ? (int) value : NORMAL;
    }
    return NORMAL;
  }

  private static boolean inBounds(byte[] data, int start, int length) {
    return data != null && start >= 0 && length >= 0 && (long) start + length <= data.length;
  }

  private static int u16(byte[] d, int at, boolean littleEndian) {
    int a = d[at] & 0xff;
    int b = d[at + 1] & 0xff;
    return littleEndian ? (b << 8) | a : (a << 8) | b;
  }

  private static long u32(byte[] d, int at, boolean littleEndian) {
    long hi = u16(d, littleEndian ? at + 2 : at, littleEndian);
    long lo = u16(d, littleEndian ? at : at + 2, littleEndian);
    return (hi << 16) | lo;
  }
}
