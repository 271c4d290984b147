package org.sparksaliency.job.image;

import java.io.ByteArrayOutputStream;

/**
 * Walks the marker segments of a JPEG header — everything before the first scan — with every length
 * checked against the data, so that untrusted bytes can be inspected without the JDK reader.
 */
final class JpegSegments {
  private static final int SOS = 0xDA;
  private static final int EOI = 0xD9;
  private static final int APP2 = 0xE2;
  private static final byte[] ICC_PROFILE = {
    'I', 'C', 'C', '_', 'P', 'R', 'O', 'F', 'I', 'L', 'E', 0
  };

  private JpegSegments() {}

  /** Receives each segment that carries a length field, in file order. */
  interface Visitor {
    /**
     * @param marker the marker code (the byte after 0xFF)
     * @param start index of the segment's 0xFF byte
     * @param payload index of the first byte after the length field
     * @param payloadLength number of payload bytes, all inside the data
     */
    void segment(int marker, int start, int payload, int payloadLength);
  }

  /**
   * Visits the segments from SOI up to the first scan (SOS) or EOI. Never throws: at the first
   * malformed or truncated segment the walk just stops, and the JDK reader later reports the real
   * error.
   */
  static void walk(byte[] data, Visitor visitor) {
    if (data.length < 4 || (data[0] & 0xff) != 0xFF || (data[1] & 0xff) != 0xD8) {
      return;
    }
    int pos = 2;
    // Every step moves forward by at least one byte, so the walk ends within data.length steps.
    while (pos + 1 < data.length) {
      if ((data[pos] & 0xff) != 0xFF) {
        return; // not at a marker: the header is malformed
      }
      int marker = data[pos + 1] & 0xff;
      if (marker == 0xFF) {
        pos++; // fill byte before a marker
        continue;
      }
      int start = pos;
      pos += 2;
      if (marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) {
        continue; // markers without a length field
      }
      if (marker == SOS || marker == EOI || pos + 2 > data.length) {
        return; // entropy-coded data follows, or the file ends: the header is over
      }
      int length = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
      if (length < 2 || pos + length > data.length) {
        return;
      }
      visitor.segment(marker, start, pos + 2, length - 2);
      pos += length;
    }
  }

  /** Whether a segment is (one chunk of) an embedded ICC profile. */
  static boolean isIccProfile(byte[] data, int marker, int payload, int payloadLength) {
    return marker == APP2 && startsWith(data, payload, payloadLength, ICC_PROFILE);
  }

  /**
   * A copy of the file without its ICC profile segments, or the file itself if it has none.
   *
   * <p>The JDK reader converts JPEGs with an embedded profile to sRGB through the colour management
   * module, while PNG profiles are ignored and PIL — which prepared the model's training data —
   * ignores both. Removing the profile makes every format mean the same thing, and keeps untrusted
   * profiles away from the native CMM.
   */
  static byte[] withoutIccProfiles(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
    int[] copied = {0};
    walk(
        data,
        (marker, start, payload, payloadLength) -> {
          if (isIccProfile(data, marker, payload, payloadLength)) {
            out.write(data, copied[0], start - copied[0]);
            copied[0] = payload + payloadLength;
          }
        });
    if (copied[0] == 0) {
      return data;
    }
    out.write(data, copied[0], data.length - copied[0]);
    return out.toByteArray();
  }

  static boolean startsWith(byte[] data, int at, int available, byte[] prefix) {
    if (available < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (data[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
