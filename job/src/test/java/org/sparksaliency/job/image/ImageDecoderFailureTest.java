package org.sparksaliency.job.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.sparksaliency.job.image.TestImages.plainDecoder;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every way a file can be refused, each with its reason code and message. */
class ImageDecoderFailureTest {
  private final ImageDecoder decoder = plainDecoder(8);

  private static DecodeFailure failure(DecodeResult result) {
    assertThat(result).isInstanceOf(DecodeFailure.class);
    return (DecodeFailure) result;
  }

  /** A 64 × 64 image of random colours, so that every part of the compressed data matters. */
  private static BufferedImage noise() {
    Random random = new Random(7);
    BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        image.setRGB(x, y, random.nextInt());
      }
    }
    return image;
  }

  @Test
  void emptyFileIsEmpty() {
    DecodeFailure f = failure(decoder.decode(new byte[0]));
    assertThat(f.reason()).isEqualTo(QuarantineReason.EMPTY_FILE);
    assertThat(f.reason().code()).isEqualTo("empty_file");
    assertThat(f.message()).isEqualTo("file is empty (0 bytes)");
  }

  @Test
  void nullContentIsEmpty() {
    DecodeFailure f = failure(decoder.decode(null));
    assertThat(f.reason().code()).isEqualTo("empty_file");
    assertThat(f.message()).isEqualTo("file has no content (null)");
  }

  @Test
  void randomBytesAreUnsupportedAndTheMessageShowsTheFirstBytes() {
    byte[] bytes = new byte[1000];
    new Random(42).nextBytes(bytes);
    bytes[0] = 0x35; // not 0x00, which a WBMP probe could take for a header
    DecodeFailure f = failure(decoder.decode(bytes));
    assertThat(f.reason().code()).isEqualTo("unsupported_format");
    assertThat(f.message())
        .startsWith(
            "not a recognised image format (accepted: jpeg, png, gif, bmp, tiff, webp, wbmp); first bytes 35 ")
        .contains(String.format("%02x %02x", bytes[1] & 0xff, bytes[2] & 0xff));
  }

  @Test
  void textFileIsUnsupportedAndTheMessageShowsItAsText() {
    byte[] html =
        "<!DOCTYPE html><html><body>Not found</body></html>".getBytes(StandardCharsets.US_ASCII);
    DecodeFailure f = failure(decoder.decode(html));
    assertThat(f.reason().code()).isEqualTo("unsupported_format");
    assertThat(f.message())
        .isEqualTo(
            "not a recognised image format (accepted: jpeg, png, gif, bmp, tiff, webp, wbmp);"
                + " first bytes 3c 21 44 4f 43 54 59 50 \"<!DOCTYP\"");
  }

  @Test
  void singleByteIsUnsupported() {
    DecodeFailure f = failure(decoder.decode(new byte[] {(byte) 0xFF}));
    assertThat(f.reason().code()).isEqualTo("unsupported_format");
    assertThat(f.message()).endsWith("first bytes ff \".\"");
  }

  @Test
  void truncatedTiffIsADecodeFailure() {
    byte[] tiff =
        TestImages.write(TestImages.solid(40, 40, BufferedImage.TYPE_INT_RGB, 0x102030), "tiff");
    DecodeFailure f = failure(decoder.decode(java.util.Arrays.copyOf(tiff, tiff.length / 2)));
    assertThat(f.reason().code()).isEqualTo("decode_failed");
    assertThat(f.message()).startsWith("Cannot decode tiff image: ");
  }

  @Test
  void truncatedJpegScanFailsInsteadOfComingBackGrey() {
    byte[] jpeg = TestImages.jpeg(noise());
    DecodeFailure f = failure(decoder.decode(Arrays.copyOf(jpeg, jpeg.length * 6 / 10)));
    assertThat(f.reason().code()).isEqualTo("decode_failed");
    assertThat(f.message())
        .isEqualTo("Cannot decode jpeg image: Corrupt JPEG data: premature end of data segment");
  }

  @Test
  void twoComponentJpegIsUnsupported() {
    // Valid JPEG, but two components have no colour interpretation.
    byte[] jpeg =
        TestImages.jpeg(Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 8, 8, 2, null));
    DecodeFailure f = failure(decoder.decode(jpeg));
    assertThat(f.reason().code()).isEqualTo("unsupported_format");
    assertThat(f.message())
        .isEqualTo(
            "Cannot decode jpeg image:"
                + " the reader has no RGB or grey pixel layout for this image (2 colour components)");
  }

  @Test
  void jpegTruncatedInsideTheHeaderFails() {
    byte[] jpeg = TestImages.jpeg(noise());
    DecodeFailure f = failure(decoder.decode(Arrays.copyOf(jpeg, 300)));
    assertThat(f.reason().code()).isEqualTo("decode_failed");
    assertThat(f.message())
        .isEqualTo("Cannot decode jpeg image: Invalid JPEG file structure: missing SOS marker");
  }

  @Test
  void jpegWithGarbageHuffmanTableFails() {
    byte[] jpeg = TestImages.jpeg(noise());
    int dht = indexOfMarker(jpeg, 0xC4);
    int length = ((jpeg[dht + 2] & 0xff) << 8) | (jpeg[dht + 3] & 0xff);
    Arrays.fill(jpeg, dht + 4, dht + 2 + length, (byte) 0xEE);
    DecodeFailure f = failure(decoder.decode(jpeg));
    assertThat(f.reason().code()).isEqualTo("decode_failed");
    assertThat(f.message()).isEqualTo("Cannot decode jpeg image: Bogus Huffman table definition");
  }

  @Test
  void jpegMissingOnlyItsEndMarkerIsStillAccepted() {
    // The data is complete; viewers show such files, so quarantining them would be wrong.
    byte[] jpeg = TestImages.jpeg(noise());
    assertThat(decoder.decode(Arrays.copyOf(jpeg, jpeg.length - 2)))
        .isInstanceOf(DecodedImage.class);
  }

  @Test
  void truncatedPngFailsWithTheCause() {
    byte[] png = TestImages.write(noise(), "png");
    DecodeFailure f = failure(decoder.decode(Arrays.copyOf(png, png.length / 2)));
    assertThat(f.reason().code()).isEqualTo("decode_failed");
    assertThat(f.message())
        .isEqualTo(
            "Cannot decode png image: Error reading PNG image data"
                + " (caused by EOFException: Unexpected end of ZLIB input stream)");
  }

  @Test
  void pngTruncatedInsideTheHeaderFails() {
    byte[] png = TestImages.write(noise(), "png");
    DecodeFailure f = failure(decoder.decode(Arrays.copyOf(png, 20)));
    assertThat(f.reason().code()).isEqualTo("decode_failed");
    assertThat(f.message())
        .isEqualTo(
            "Cannot decode png image: I/O error reading PNG header! (caused by EOFException)");
  }

  @Test
  void pngWithCorruptCompressedDataFails() {
    byte[] png = TestImages.write(noise(), "png");
    int idat = indexOf(png, "IDAT".getBytes(StandardCharsets.US_ASCII));
    Arrays.fill(
        png,
        idat + 6,
        idat + 40,
        (byte) 0xFF); // keep the 2-byte zlib header, break the deflate blocks
    DecodeFailure f = failure(decoder.decode(png));
    assertThat(f.reason().code()).isEqualTo("decode_failed");
    assertThat(f.message())
        .isEqualTo(
            "Cannot decode png image: Error reading PNG image data (caused by ZipException: invalid block type)");
  }

  @Test
  void truncatedGifFails() {
    BufferedImage indexed = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_INDEXED);
    indexed.getGraphics().drawImage(noise(), 0, 0, null);
    byte[] gif = TestImages.write(indexed, "gif");
    DecodeFailure f = failure(decoder.decode(Arrays.copyOf(gif, gif.length / 2)));
    assertThat(f.reason().code()).isEqualTo("decode_failed");
    assertThat(f.message())
        .isEqualTo(
            "Cannot decode gif image: I/O error reading image!"
                + " (caused by Invalid block length for LZW encoded image data)");
  }

  @Test
  void truncatedBmpFails() {
    byte[] bmp = TestImages.write(noise(), "bmp");
    DecodeFailure f = failure(decoder.decode(Arrays.copyOf(bmp, bmp.length / 2)));
    assertThat(f.reason().code()).isEqualTo("decode_failed");
    assertThat(f.message()).isEqualTo("Cannot decode bmp image: EOFException");
  }

  @Test
  void pngHeaderClaimingFiftyThousandSquaredIsRejectedFastWithoutDecoding() {
    // A valid IHDR (the CRC is right) for 2.5 billion pixels, followed by almost no data.
    byte[] bomb = TestImages.png(50_000, 50_000, 8, 2, new byte[64]);
    assertThat(bomb.length).isLessThan(200);
    DecodeResult result =
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> decoder.decode(bomb));
    DecodeFailure f = failure(result);
    assertThat(f.reason().code()).isEqualTo("too_large");
    assertThat(f.message())
        .isEqualTo("image is 50000 x 50000 = 2500000000 pixels, more than the limit of 40000000");
  }

  @Test
  void jpegHeaderClaimingHugeSizeIsRejectedWithoutDecoding() {
    byte[] jpeg = TestImages.jpeg(TestImages.solid(16, 16, BufferedImage.TYPE_3BYTE_BGR, 0x808080));
    int sof = indexOfMarker(jpeg, 0xC0);
    // SOF0: marker(2) length(2) precision(1) height(2) width(2)
    jpeg[sof + 5] = (byte) 0xEA;
    jpeg[sof + 6] = (byte) 0x60; // 60000
    jpeg[sof + 7] = (byte) 0xEA;
    jpeg[sof + 8] = (byte) 0x60;
    DecodeResult result =
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> decoder.decode(jpeg));
    DecodeFailure f = failure(result);
    assertThat(f.reason().code()).isEqualTo("too_large");
    assertThat(f.message())
        .isEqualTo("image is 60000 x 60000 = 3600000000 pixels, more than the limit of 40000000");
  }

  @Test
  void pixelLimitIsInclusive() {
    ImageDecoder small = new ImageDecoder(4, TestImages.ZERO_MEAN, TestImages.UNIT_STD, 100);
    byte[] exactly =
        TestImages.write(TestImages.solid(10, 10, BufferedImage.TYPE_INT_RGB, 0), "png");
    byte[] oneColumnMore =
        TestImages.write(TestImages.solid(11, 10, BufferedImage.TYPE_INT_RGB, 0), "png");
    assertThat(small.decode(exactly)).isInstanceOf(DecodedImage.class);
    DecodeFailure f = failure(small.decode(oneColumnMore));
    assertThat(f.reason().code()).isEqualTo("too_large");
    assertThat(f.message()).isEqualTo("image is 11 x 10 = 110 pixels, more than the limit of 100");
  }

  @Test
  void bmpHeaderAskingForAHugePaletteIsRejectedBeforeTheReaderAllocatesIt() {
    // 1 × 1 pixel, but the pixel data "starts" 2 GB in: the JDK reader would allocate that much as
    // palette.
    ByteBuffer b = ByteBuffer.allocate(58).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'B').put((byte) 'M').putInt(58).putInt(0).putInt(0x7FFF_FFF0);
    b.putInt(40).putInt(1).putInt(1).putShort((short) 1).putShort((short) 24).putInt(0).putInt(4);
    b.putInt(0).putInt(0).putInt(0).putInt(0).putInt(0);
    DecodeFailure f = failure(decoder.decode(b.array()));
    assertThat(f.reason().code()).isEqualTo("decode_failed");
    assertThat(f.message())
        .isEqualTo(
            "Cannot decode bmp image: BMP header pixel data offset of 2147483632 bytes"
                + " is beyond the end of the 58-byte file");
  }

  @Test
  void normalisationOverflowingToInfinityIsNonFinite() {
    float tiny = Float.MIN_VALUE;
    ImageDecoder overflowing =
        new ImageDecoder(
            2, TestImages.ZERO_MEAN, new float[] {tiny, tiny, tiny}, TestImages.MAX_PIXELS);
    byte[] white =
        TestImages.write(TestImages.solid(2, 2, BufferedImage.TYPE_INT_RGB, 0xFFFFFF), "png");
    DecodeFailure f = failure(overflowing.decode(white));
    assertThat(f.reason().code()).isEqualTo("non_finite");
    assertThat(f.message())
        .isEqualTo(
            "normalised input holds Infinity at index 0 (mean [0.0, 0.0, 0.0], std [1.4E-45, 1.4E-45, 1.4E-45])");
  }

  @Test
  void garbageAfterAValidSignatureNeverThrows() {
    // Each accepted signature followed by noise: whatever the readers make of it, decode must
    // answer.
    byte[][] signatures = {
      {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
      {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},
      {'G', 'I', 'F', '8', '9', 'a'},
      {'B', 'M'},
    };
    Random random = new Random(3);
    for (byte[] signature : signatures) {
      for (int i = 0; i < 200; i++) {
        byte[] bytes = new byte[signature.length + random.nextInt(300)];
        random.nextBytes(bytes);
        System.arraycopy(signature, 0, bytes, 0, signature.length);
        DecodeResult result = decoder.decode(bytes);
        if (result instanceof DecodeFailure f) {
          assertThat(f.reason())
              .isIn(
                  QuarantineReason.DECODE_FAILED,
                  QuarantineReason.UNSUPPORTED_FORMAT,
                  QuarantineReason.TOO_LARGE);
          assertThat(f.message()).isNotBlank();
        } else {
          // Whatever a reader made of the noise, an image is the decoder's 8 × 8 × 3 normalised
          // floats.
          assertThat(result).isInstanceOf(DecodedImage.class);
          DecodedImage image = (DecodedImage) result;
          assertThat(image.chw()).hasSize(3 * 8 * 8);
          assertThat(image.width()).isPositive();
          assertThat(image.height()).isPositive();
          for (float v : image.chw()) {
            assertThat(v).isFinite();
          }
        }
      }
    }
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("pattern not found");
  }

  private static int indexOfMarker(byte[] jpeg, int marker) {
    for (int i = 0; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == marker) {
        return i;
      }
    }
    throw new AssertionError("marker " + Integer.toHexString(marker) + " not found");
  }
}
