package org.sparksaliency.job.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decoder's resize and centre crop against torchvision 0.14's own output ({@code
 * Resize(antialias=True)}, {@code CenterCrop}) on seeded images, written by {@code
 * sample-data/make_preprocess_references.py}: shrinking, enlarging, landscape and portrait, crop
 * offsets that round half to even.
 */
class ResizeReferenceTest {

  static List<JsonObject> cases() throws IOException {
    List<JsonObject> cases = new ArrayList<>();
    for (JsonElement e : reference().getAsJsonArray("cases")) {
      cases.add(e.getAsJsonObject());
    }
    return cases;
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("cases")
  void matchesTorchvision(JsonObject c) {
    int size = c.get("size").getAsInt();
    Resize resize =
        c.get("mode").getAsString().equals("crop")
            ? Resize.crop(c.get("resize_size").getAsInt())
            : Resize.SQUASH;
    int width = c.get("width").getAsInt();
    int height = c.get("height").getAsInt();
    JsonArray rgb = c.getAsJsonArray("rgb");
    byte[] bgr = new byte[width * height * 3];
    for (int i = 0; i < width * height; i++) {
      bgr[3 * i] = (byte) rgb.get(3 * i + 2).getAsInt();
      bgr[3 * i + 1] = (byte) rgb.get(3 * i + 1).getAsInt();
      bgr[3 * i + 2] = (byte) rgb.get(3 * i).getAsInt();
    }
    ImageDecoder decoder =
        new ImageDecoder(
            size, resize, TestImages.ZERO_MEAN, TestImages.UNIT_STD, TestImages.MAX_PIXELS);
    float[] chw = TestImages.decoded(decoder.decodePixels(width, height, 16, bgr)).chw();

    JsonArray expected = c.getAsJsonArray("expected");
    assertThat(chw).hasSize(expected.size());
    int off = 0;
    for (int i = 0; i < chw.length; i++) {
      int diff = Math.abs(Math.round(chw[i] * 255f) - expected.get(i).getAsInt());
      assertThat(diff).as("%s value %d", c.get("name"), i).isLessThanOrEqualTo(1);
      off += diff;
    }
    // A level off only where torchvision's float32 sums and these, added in another order, land on
    // either side of a half before rounding (values that are exact halves in real arithmetic, as
    // when enlarging by 18/10): at most one value in a hundred.
    assertThat(off)
        .as("values one level off in %s", c.get("name"))
        .isLessThanOrEqualTo(chw.length / 100);
  }

  private static JsonObject reference() throws IOException {
    try (InputStream in =
        Objects.requireNonNull(
            ResizeReferenceTest.class.getResourceAsStream("/reference/resize.json"),
            "reference/resize.json")) {
      return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .getAsJsonObject();
    }
  }
}
