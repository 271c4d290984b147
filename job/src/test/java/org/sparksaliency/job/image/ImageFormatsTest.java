package org.sparksaliency.job.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sparksaliency.job.image.TestImages.decoded;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real files of each accepted format beyond JPEG/PNG/GIF/BMP, and of the layouts that need a
 * conversion, written by PIL ({@code sample-data/make_format_samples.py}), decode to the RGB that
 * PIL's {@code convert("RGB")} gives (16-bit: scaled to 8 bits, see the script).
 */
class ImageFormatsTest {
  private static final JsonObject EXPECTED = expected();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tiff_rgb_lzw.tif",
        "tiff_rgb_deflate.tif",
        "tiff_grey16.tif",
        "tiff_multipage.tif",
        "tiff_rgba.tif",
        "webp_lossless.webp",
        "webp_alpha.webp",
        "png_grey16.png",
        "png_grey_alpha.png",
        "jpeg_cmyk_icc.jpg"
      })
  void decodesToWhatPilGives(String name) throws IOException {
    JsonObject want = EXPECTED.getAsJsonObject(name);
    int width = want.get("width").getAsInt();
    int height = want.get("height").getAsInt();
    int tolerance = want.get("tolerance").getAsInt();
    // The image's own size: the resampler leaves every pixel as it is (one tap of weight 1).
    ImageDecoder decoder =
        new ImageDecoder(width, TestImages.ZERO_MEAN, TestImages.UNIT_STD, TestImages.MAX_PIXELS);
    RgbPixels pixels = readPixels(decoder, resource(name), width, height);
    int worst = 0;
    for (int i = 0; i < width * height; i++) {
      int expected = want.getAsJsonArray("rgb").get(i).getAsInt();
      int actual = pixels.rgb()[i];
      for (int shift = 0; shift <= 16; shift += 8) {
        worst =
            Math.max(worst, Math.abs(((expected >> shift) & 0xff) - ((actual >> shift) & 0xff)));
      }
    }
    assertThat(worst)
        .as("largest difference from PIL in %s, 0..255 levels", name)
        .isLessThanOrEqualTo(tolerance);
  }

  @Test
  void lossyWebpIsQuarantinedWithTheReason() throws IOException {
    DecodeResult result = TestImages.plainDecoder(8).decode(resource("webp_lossy.webp"));
    assertThat(result).isInstanceOf(DecodeFailure.class);
    DecodeFailure f = (DecodeFailure) result;
    assertThat(f.reason()).isEqualTo(QuarantineReason.UNSUPPORTED_FORMAT);
    assertThat(f.message())
        .isEqualTo(
            "Cannot decode webp image: lossy (VP8) WebP is not accepted: the WebP reader"
                + " (TwelveMonkeys 3.14.0) decodes its colours wrongly; lossless WebP is read");
  }

  /** The decoded pixels, read back from the input of a decoder of the (square) image's size. */
  private static RgbPixels readPixels(ImageDecoder decoder, byte[] bytes, int width, int height) {
    assertThat(width).as("the samples are square").isEqualTo(height);
    DecodedImage image = decoded(decoder.decode(bytes));
    assertThat(image.width()).isEqualTo(width);
    assertThat(image.height()).isEqualTo(height);
    int[] rgb = new int[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        float[] v = TestImages.rgbAt(image, width, x, y);
        rgb[y * width + x] = RgbPixels.pack(Math.round(v[0]), Math.round(v[1]), Math.round(v[2]));
      }
    }
    return new RgbPixels(width, height, rgb);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in =
        Objects.requireNonNull(
            ImageFormatsTest.class.getResourceAsStream("/formats/" + name), name)) {
      return in.readAllBytes();
    }
  }

  private static JsonObject expected() {
    try {
      return JsonParser.parseString(new String(resource("expected.json"), StandardCharsets.UTF_8))
          .getAsJsonObject();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read formats/expected.json: " + e, e);
    }
  }
}
