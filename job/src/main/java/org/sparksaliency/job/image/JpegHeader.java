package org.sparksaliency.job.image;

/**
 * What the decoder needs from a JPEG's marker segments that the JDK reader does not expose: the
 * Exif orientation, the component count, the Adobe APP14 colour transform that tells CMYK from
 * YCCK, and whether an ICC profile is embedded.
 *
 * @param orientation from the first Exif APP1 segment, {@link Orientation#TOP_LEFT} if none
 * @param components number of colour components in the first start-of-frame segment, 0 if none was
 *     found
 * @param adobe whether an Adobe APP14 segment is present; Adobe software stores CMYK inverted (255
 *     = no ink)
 * @param adobeTransform the APP14 transform byte (0 = none, 1 = YCbCr, 2 = YCCK), -1 without APP14
 * @param iccProfile whether an APP2 ICC_PROFILE segment is present
 */
record JpegHeader(
    Orientation orientation,
    int components,
    boolean adobe,
    int adobeTransform,
    boolean iccProfile) {
  private static final int APP1 = 0xE1;
  private static final int APP14 = 0xEE;
  private static final byte[] ADOBE = {'A', 'd', 'o', 'b', 'e'};
  private static final int ADOBE_PAYLOAD =
      12; // "Adobe", version(2), flags0(2), flags1(2), transform(1)

  /**
   * Whether a 4-component image is YCCK rather than CMYK, decided as libjpeg does: YCCK only when
   * an Adobe segment says so (or gives an unknown transform).
   */
  boolean ycck() {
    return adobe && adobeTransform != 0;
  }

  /**
   * Reads the header segments. Never throws: a malformed header yields what was found before the
   * damage.
   */
  static JpegHeader scan(byte[] data) {
    Scan scan = new Scan(data);
    JpegSegments.walk(data, scan);
    return new JpegHeader(
        scan.orientation, scan.components, scan.adobe, scan.adobeTransform, scan.iccProfile);
  }

  private static final class Scan implements JpegSegments.Visitor {
    private final byte[] data;
    private Orientation orientation = Orientation.TOP_LEFT;
    private boolean exifSeen;
    private int components;
    private boolean adobe;
    private int adobeTransform = -1;
    private boolean iccProfile;

    Scan(byte[] data) {
      this.data = data;
    }

    @Override
    public void segment(int marker, int start, int payload, int payloadLength) {
      if (marker == APP1 && !exifSeen && ExifOrientation.isExif(data, payload, payloadLength)) {
        // Like libexif and browsers, only the first Exif segment counts.
        exifSeen = true;
        orientation = Orientation.fromExif(ExifOrientation.parse(data, payload, payloadLength));
      } else if (marker == APP14
          && !adobe
          && payloadLength >= ADOBE_PAYLOAD
          && JpegSegments.startsWith(data, payload, payloadLength, ADOBE)) {
        adobe = true;
        adobeTransform = data[payload + ADOBE_PAYLOAD - 1] & 0xff;
      } else if (isStartOfFrame(marker) && components == 0 && payloadLength >= 6) {
        components = data[payload + 5] & 0xff; // precision(1), height(2), width(2), components(1)
      } else if (JpegSegments.isIccProfile(data, marker, payload, payloadLength)) {
        iccProfile = true;
      }
    }

    private static boolean isStartOfFrame(int marker) {
      // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC) which share the range.
      return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }
  }
}
