package org.sparksaliency.job.image;

import javax.imageio.IIOException;

/**
 * Rejects BMP headers whose size fields point past the end of the file, before the JDK reader sees
 * them.
 *
 * <p>The JDK's BMP reader allocates arrays sized by header fields (the palette from the pixel-data
 * offset or the colour count, the V5 ICC profile from its size) before reading anything else, so a
 * 60-byte file can ask for gigabytes — a memory bomb that the pixel-count check cannot catch. The
 * whole file is in memory here, so no honest field can exceed its length.
 */
final class BmpHeaderCheck {
  private static final int FILE_HEADER = 14;
  private static final int INFO_HEADER = 40;
  private static final int V5_HEADER = 124;
  private static final int BI_BITFIELDS = 3;

  private BmpHeaderCheck() {}

  static void check(byte[] data) throws IIOException {
    long length = data.length;
    requireWithin("pixel data offset", u32(data, 10), length);
    long headerSize = u32(data, FILE_HEADER);
    if (headerSize == INFO_HEADER && u32(data, FILE_HEADER + 16) == BI_BITFIELDS) {
      requireWithin("palette size", u32(data, FILE_HEADER + 32) * 4, length);
    }
    if (headerSize == V5_HEADER) {
      requireWithin("ICC profile size", u32(data, FILE_HEADER + 116), length);
    }
  }

  private static void requireWithin(String field, long value, long length) throws IIOException {
    if (value > length) {
      throw new IIOException(
          String.format(
              "BMP header %s of %d bytes is beyond the end of the %d-byte file",
              field, value, length));
    }
  }

  /**
   * Little-endian unsigned 32-bit value, 0 where the file is too short (the reader reports that
   * itself).
   */
  private static long u32(byte[] d, int at) {
    if (at + 4 > d.length) {
      return 0;
    }
    return (d[at] & 0xffL)
        | (d[at + 1] & 0xffL) << 8
        | (d[at + 2] & 0xffL) << 16
        | (d[at + 3] & 0xffL) << 24;
  }
}
