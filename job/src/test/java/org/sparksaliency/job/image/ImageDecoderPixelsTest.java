package org.sparksaliency.job.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sparksaliency.job.image.TestImages.decoded;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Raw OpenCV-layout pixels (Spark's image struct) become exactly the model input that a lossless
 * file of the same pixels decodes to: the same conversion to RGB, the same resize and
 * normalisation.
 */
class ImageDecoderPixelsTest {
  private static final ImageDecoder DECODER =
      new ImageDecoder(
          16, new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}, 10_000);

  /** A noisy image, so that a swapped channel or an off-by-one row shows up everywhere. */
  private static BufferedImage noisy(int width, int height, int type) {
    BufferedImage image = new BufferedImage(width, height, type);
    Random random = new Random(width * 31L + height);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt());
      }
    }
    return image;
  }

  /**
   * The image's bytes as stored: for TYPE_3BYTE_BGR and TYPE_BYTE_GRAY that is OpenCV's layout
   * already.
   */
  private static byte[] stored(BufferedImage image) {
    return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
  }

  @Test
  void bgrPixelsGiveTheModelInputOfTheSamePng() {
    BufferedImage image = noisy(37, 23, BufferedImage.TYPE_3BYTE_BGR);
    DecodedImage fromPng = decoded(DECODER.decode(TestImages.write(image, "png")));
    DecodedImage fromPixels = decoded(DECODER.decodePixels(37, 23, 16, stored(image)));
    assertThat(fromPixels).isEqualTo(fromPng);
    assertThat(fromPixels.width()).isEqualTo(37);
    assertThat(fromPixels.height()).isEqualTo(23);
  }

  @Test
  void greyPixelsGiveTheModelInputOfTheSamePng() {
    BufferedImage image = noisy(20, 30, BufferedImage.TYPE_BYTE_GRAY);
    DecodedImage fromPng = decoded(DECODER.decode(TestImages.write(image, "png")));
    assertThat(decoded(DECODER.decodePixels(20, 30, 0, stored(image)))).isEqualTo(fromPng);
  }

  @Test
  void bgraPixelsDropAlphaLikeAPngWithAlpha() {
    // TYPE_4BYTE_ABGR stores A, B, G, R; OpenCV's CV_8UC4 is B, G, R, A.
    BufferedImage image = noisy(19, 17, BufferedImage.TYPE_4BYTE_ABGR);
    byte[] abgr = stored(image);
    byte[] bgra = new byte[abgr.length];
    for (int i = 0; i < abgr.length; i += 4) {
      bgra[i] = abgr[i + 1];
      bgra[i + 1] = abgr[i + 2];
      bgra[i + 2] = abgr[i + 3];
      bgra[i + 3] = abgr[i];
    }
    DecodedImage fromPng = decoded(DECODER.decode(TestImages.write(image, "png")));
    assertThat(decoded(DECODER.decodePixels(19, 17, 24, bgra))).isEqualTo(fromPng);
  }

  @Test
  void otherOpenCvTypesAreUnsupported() {
    DecodeFailure f = (DecodeFailure) DECODER.decodePixels(2, 2, 21, new byte[48]);
    assertThat(f.reason()).isEqualTo(QuarantineReason.UNSUPPORTED_FORMAT);
    assertThat(f.message())
        .isEqualTo(
            "Cannot decode raw pixels: OpenCV type 21 is not accepted (accepted: 0 (CV_8UC1), 16 (CV_8UC3), 24 (CV_8UC4))");
  }

  @Test
  void dataOfTheWrongLengthFailsToDecode() {
    DecodeFailure f = (DecodeFailure) DECODER.decodePixels(4, 3, 16, new byte[35]);
    assertThat(f.reason()).isEqualTo(QuarantineReason.DECODE_FAILED);
    assertThat(f.message())
        .isEqualTo("Cannot decode raw pixels: 35 bytes for 4 x 3 CV_8UC3 pixels, expected 36");
    DecodeFailure none = (DecodeFailure) DECODER.decodePixels(4, 3, 0, null);
    assertThat(none.message())
        .isEqualTo("Cannot decode raw pixels: 0 bytes for 4 x 3 CV_8UC1 pixels, expected 12");
  }

  @Test
  void sizesMustBePositiveAndWithinTheLimit() {
    DecodeFailure empty = (DecodeFailure) DECODER.decodePixels(-1, -1, 16, new byte[0]);
    assertThat(empty.reason()).isEqualTo(QuarantineReason.DECODE_FAILED);
    assertThat(empty.message()).isEqualTo("Cannot decode raw pixels: size -1 x -1 is not positive");
    DecodeFailure large = (DecodeFailure) DECODER.decodePixels(200, 51, 16, new byte[0]);
    assertThat(large.reason()).isEqualTo(QuarantineReason.TOO_LARGE);
    assertThat(large.message())
        .isEqualTo("image is 200 x 51 = 10200 pixels, more than the limit of 10000");
  }
}
