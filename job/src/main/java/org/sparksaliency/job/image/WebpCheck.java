package org.sparksaliency.job.image;

import java.nio.charset.StandardCharsets;

/**
 * Refuses lossy WebP before its reader sees it. TwelveMonkeys 3.14.0 decodes lossless WebP (VP8L)
 * exactly as libwebp does, but its lossy (VP8) decoder predicts from already filtered pixels and
 * tints the image, more towards the bottom (haraldk/TwelveMonkeys#864, #734; fixed after 3.14.0):
 * on a photograph the model's top-1 probability moved by 8%. A wrong colour would be silent, so
 * such a file is quarantined as {@code unsupported_format} instead.
 *
 * <p>Walks the RIFF chunks (animated files: the first frame's) with every length checked; a file
 * too damaged to tell is left to the reader, which then reports the damage.
 */
final class WebpCheck {
  private static final int RIFF_HEADER = 12;
  private static final int CHUNK_HEADER = 8;
  private static final int ANMF_HEADER = 16;

  private WebpCheck() {}

  static void check(byte[] data) throws UnsupportedImageException {
    if (firstBitstream(data, RIFF_HEADER, data.length).equals("VP8 ")) {
      throw new UnsupportedImageException(
          "lossy (VP8) WebP is not accepted: the WebP reader (TwelveMonkeys 3.14.0) decodes its"
              + " colours wrongly; lossless WebP is read");
    }
  }

  /** The fourcc of the first image bitstream chunk ("VP8 " or "VP8L") in [from, to), or "". */
  private static String firstBitstream(byte[] data, int from, int to) {
    int at = from;
    while (at + CHUNK_HEADER <= to) {
      String fourcc = new String(data, at, 4, StandardCharsets.US_ASCII);
      long size =
          (data[at + 4] & 0xffL)
              | (data[at + 5] & 0xffL) << 8
              | (data[at + 6] & 0xffL) << 16
              | (data[at + 7] & 0xffL) << 24;
      long end = at + CHUNK_HEADER + size;
      if (fourcc.equals("VP8 ") || fourcc.equals("VP8L")) {
        return fourcc;
      }
      if (end > to) {
        return "";
      }
      if (fourcc.equals("ANMF") && size >= ANMF_HEADER) {
        return firstBitstream(data, at + CHUNK_HEADER + ANMF_HEADER, (int) end);
      }
      at = (int) (end + (size & 1)); // chunks are padded to an even length
    }
    return "";
  }
}
