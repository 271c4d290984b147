package org.sparksaliency.job.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.sparksaliency.job.image.TestImages.decoded;
import static org.sparksaliency.job.image.TestImages.plainDecoder;
import static org.sparksaliency.job.image.TestImages.rgbAt;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** EXIF orientation: all eight applied before resizing, and garbage never breaks a decode. */
class ExifOrientationTest {
  // Stored image: 64 wide, 32 tall, one colour per quadrant. Quadrants are 32 × 16 so that they
  // line up with
  // JPEG's 16 × 16 blocks and survive compression nearly unchanged.
  private static final int RED = 0xC82828;
  private static final int GREEN = 0x28C828;
  private static final int BLUE = 0x2828C8;
  private static final int WHITE = 0xE6E6E6;
  private static final Map<String, Integer> COLOURS =
      Map.of("red", RED, "green", GREEN, "blue", BLUE, "white", WHITE);

  private static byte[] quadrantJpeg() {
    BufferedImage image = new BufferedImage(64, 32, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 64; x++) {
        int colour = y < 16 ? (x < 32 ? RED : GREEN) : (x < 32 ? BLUE : WHITE);
        image.setRGB(x, y, colour);
      }
    }
    return TestImages.jpeg(image);
  }

  private static void assertColour(DecodedImage image, int x, int y, String name) {
    int rgb = COLOURS.get(name);
    float[] actual = rgbAt(image, 4, x, y);
    String where = "output pixel (" + x + ", " + y + ") should be " + name;
    assertThat((double) actual[0]).as(where).isCloseTo((rgb >> 16) & 0xff, within(6.0));
    assertThat((double) actual[1]).as(where).isCloseTo((rgb >> 8) & 0xff, within(6.0));
    assertThat((double) actual[2]).as(where).isCloseTo(rgb & 0xff, within(6.0));
  }

  /**
   * The displayed corners worked out by hand from the EXIF definitions, e.g. 6 = "0th row is the
   * visual right side, 0th column the visual top": the stored left column (red over blue) becomes
   * the top row, right to left.
   */
  @ParameterizedTest(name = "orientation {0}, little-endian {1}")
  @CsvSource({
    "1, true,  64, 32, red,   green, blue,  white",
    "2, false, 64, 32, green, red,   white, blue",
    "3, true,  64, 32, white, blue,  green, red",
    "4, false, 64, 32, blue,  white, red,   green",
    "5, true,  32, 64, red,   blue,  green, white",
    "6, false, 32, 64, blue,  red,   white, green",
    "7, true,  32, 64, white, green, blue,  red",
    "8, false, 32, 64, green, white, red,   blue",
    "1, false, 64, 32, red,   green, blue,  white",
    "2, true,  64, 32, green, red,   white, blue",
    "3, false, 64, 32, white, blue,  green, red",
    "4, true,  64, 32, blue,  white, red,   green",
    "5, false, 32, 64, red,   blue,  green, white",
    "6, true,  32, 64, blue,  red,   white, green",
    "7, false, 32, 64, white, green, blue,  red",
    "8, true,  32, 64, green, white, red,   blue",
  })
  void orientationIsAppliedBeforeResizing(
      int orientation,
      boolean littleEndian,
      int width,
      int height,
      String topLeft,
      String topRight,
      String bottomLeft,
      String bottomRight) {
    byte[] jpeg = TestImages.withExif(quadrantJpeg(), orientation, littleEndian);
    assertThat(JpegHeader.scan(jpeg).orientation().exifValue()).isEqualTo(orientation);

    DecodedImage image = decoded(plainDecoder(4).decode(jpeg));

    assertThat(image.width()).isEqualTo(width);
    assertThat(image.height()).isEqualTo(height);
    assertColour(image, 0, 0, topLeft);
    assertColour(image, 3, 0, topRight);
    assertColour(image, 0, 3, bottomLeft);
    assertColour(image, 3, 3, bottomRight);
  }

  @Test
  void withoutExifTheImageIsAsStored() {
    DecodedImage image = decoded(plainDecoder(4).decode(quadrantJpeg()));
    assertThat(image.width()).isEqualTo(64);
    assertThat(image.height()).isEqualTo(32);
    assertColour(image, 0, 0, "red");
    assertColour(image, 3, 3, "white");
  }

  /**
   * Exif payloads that are broken in one way each; all must decode as if there were no orientation.
   */
  @Test
  void malformedExifIsIgnored() {
    byte[][] payloads = {
      withIfdOffset(TestImages.exifPayload(6, true), 0xFFFF_FF00, true), // IFD far past the segment
      withIfdOffset(TestImages.exifPayload(6, false), 0x7FFF_FFFF, false),
      withIfdOffset(TestImages.exifPayload(6, true), 4, true), // IFD inside the TIFF header
      directoryAtTheEndClaiming65535Entries(TestImages.exifPayload(6, true)),
      withByte(TestImages.exifPayload(6, true), 6, 'X'), // unknown byte order
      withByte(TestImages.exifPayload(6, true), 8, 43), // wrong TIFF magic
      TestImages.exifPayload(9, true), // no such orientation
      TestImages.exifPayload(0, false),
      withByte(TestImages.exifPayload(6, true), 6 + 8 + 2 + 12 + 2, 2), // Orientation typed ASCII
      {'E', 'x', 'i', 'f', 0, 0, 'I', 'I'}, // truncated TIFF header
      {'E', 'x', 'i', 'f', 0, 0},
      {'E', 'x', 'i', 'f'},
    };
    for (byte[] payload : payloads) {
      byte[] jpeg = TestImages.withSegment(quadrantJpeg(), 0xE1, payload);
      DecodedImage image = decoded(plainDecoder(4).decode(jpeg));
      assertThat(image.width()).isEqualTo(64);
      assertThat(image.height()).isEqualTo(32);
      assertColour(image, 0, 0, "red");
    }
  }

  @Test
  void onlyTheFirstExifSegmentCounts() {
    byte[] jpeg = TestImages.withExif(TestImages.withExif(quadrantJpeg(), 6, true), 8, false);
    assertThat(JpegHeader.scan(jpeg).orientation()).isEqualTo(Orientation.LEFT_BOTTOM);
  }

  @Test
  void exifSegmentsWithRandomlyDamagedBytesNeverBreakTheDecode() {
    byte[] jpeg = TestImages.withExif(quadrantJpeg(), 6, true);
    int payloadLength = TestImages.exifPayload(6, true).length;
    Random random = new Random(11);
    for (int i = 0; i < 300; i++) {
      byte[] damaged = jpeg.clone();
      for (int j = 0; j < 3; j++) {
        damaged[6 + random.nextInt(payloadLength)] = (byte) random.nextInt(256);
      }
      DecodeResult result = plainDecoder(4).decode(damaged);
      assertThat(result).isInstanceOf(DecodedImage.class);
      DecodedImage image = (DecodedImage) result;
      assertThat(image.width() * image.height()).isEqualTo(64 * 32);
    }
  }

  @Test
  void parserNeverThrowsOnGarbageOrBadBounds() {
    Random random = new Random(5);
    for (int i = 0; i < 20_000; i++) {
      byte[] data = new byte[random.nextInt(64)];
      random.nextBytes(data);
      if (data.length >= 8 && random.nextBoolean()) {
        System.arraycopy(new byte[] {'E', 'x', 'i', 'f', 0, 0}, 0, data, 0, 6);
        data[6] = data[7] = (byte) (random.nextBoolean() ? 'I' : 'M');
      }
      int start = random.nextInt(data.length + 3) - 1;
      int length = random.nextInt(data.length + 3) - 1;
      assertThat(ExifOrientation.parse(data, start, length)).isBetween(1, 8);
    }
    assertThat(ExifOrientation.parse(null, 0, 0)).isEqualTo(1);
  }

  @Test
  void parserReadsBothByteOrders() {
    byte[] little = TestImages.exifPayload(7, true);
    byte[] big = TestImages.exifPayload(3, false);
    assertThat(ExifOrientation.parse(little, 0, little.length)).isEqualTo(7);
    assertThat(ExifOrientation.parse(big, 0, big.length)).isEqualTo(3);
  }

  @Test
  void headerScanNeverThrowsOnGarbage() {
    Random random = new Random(9);
    for (int i = 0; i < 20_000; i++) {
      byte[] data = new byte[random.nextInt(80)];
      random.nextBytes(data);
      if (data.length >= 4) {
        data[0] = (byte) 0xFF;
        data[1] = (byte) 0xD8;
        data[2] = (byte) 0xFF;
      }
      JpegHeader header = JpegHeader.scan(data);
      // Without the "Exif" signature there is no orientation to read: the image is as stored.
      if (!containsExifSignature(data)) {
        assertThat(header.orientation())
            .as("orientation of %s", java.util.HexFormat.of().formatHex(data))
            .isEqualTo(Orientation.TOP_LEFT);
      } else {
        assertThat(header.orientation()).isNotNull();
      }
    }
  }

  private static boolean containsExifSignature(byte[] data) {
    for (int i = 0; i + 4 <= data.length; i++) {
      if (data[i] == 'E' && data[i + 1] == 'x' && data[i + 2] == 'i' && data[i + 3] == 'f') {
        return true;
      }
    }
    return false;
  }

  private static byte[] withIfdOffset(byte[] payload, int offset, boolean littleEndian) {
    ByteBuffer.wrap(payload)
        .order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN)
        .putInt(10, offset);
    return payload;
  }

  /**
   * Points IFD0 at the last two bytes of the segment and makes them claim 65535 entries that are
   * not there.
   */
  private static byte[] directoryAtTheEndClaiming65535Entries(byte[] payload) {
    int tiffLength = payload.length - 6;
    withIfdOffset(payload, tiffLength - 2, true);
    payload[payload.length - 2] = (byte) 0xFF;
    payload[payload.length - 1] = (byte) 0xFF;
    return payload;
  }

  private static byte[] withByte(byte[] payload, int index, int value) {
    payload[index] = (byte) value;
    return payload;
  }
}
