package org.sparksaliency.job.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.sparksaliency.job.image.TestImages.decoded;
import static org.sparksaliency.job.image.TestImages.plainDecoder;
import static org.sparksaliency.job.image.TestImages.rgbAt;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/**
 * Resizing against values worked out by hand with the antialiased triangle filter of PIL and
 * torchvision ({@link BilinearResampler}): output i is centred at c = (i + 0.5) × scale and weighs
 * source pixel j by max(0, 1 − |j + 0.5 − c| / s), s = max(scale, 1), renormalised; the result is
 * rounded to whole levels. {@code ResizeReferenceTest} checks the same against torchvision itself.
 */
class BilinearResizeTest {
  private static final double EPS = 1e-3; // in 0..255 units

  /**
   * A lossless image whose red channel holds {@code values}, green 255 − value, blue a constant 7.
   */
  private static byte[] pngOf(int[][] values) {
    int height = values.length;
    int width = values[0].length;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int v = values[y][x];
        image.setRGB(x, y, RgbPixels.pack(v, 255 - v, 7));
      }
    }
    return TestImages.write(image, "png");
  }

  private static void assertResized(byte[] png, int size, double[][] expectedRed) {
    DecodedImage image = decoded(plainDecoder(size).decode(png));
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        float[] rgb = rgbAt(image, size, x, y);
        String where = "(" + x + ", " + y + ")";
        assertThat((double) rgb[0]).as("red " + where).isCloseTo(expectedRed[y][x], within(EPS));
        assertThat((double) rgb[1])
            .as("green " + where)
            .isCloseTo(255 - expectedRed[y][x], within(EPS));
        assertThat((double) rgb[2]).as("blue " + where).isCloseTo(7, within(EPS));
      }
    }
  }

  @Test
  void halvingWeighsEveryCoveredPixel() {
    // 4 -> 2: scale 2, support 2. Output 0 is centred at 1: pixels 0, 1, 2 weigh 0.75, 0.75, 0.25
    // (normalised 3/7, 3/7, 1/7); output 1 mirrors it (pixels 1, 2, 3: 1/7, 3/7, 3/7).
    int[][] values = {
      {0, 10, 20, 30},
      {40, 50, 60, 70},
      {80, 90, 100, 110},
      {120, 130, 140, 150},
    };
    // Rows first: [0, 10, 20, 30] -> [50/7, 160/7]; row r is row 0 plus 40 r, so the columns add
    // 40 × (0 × 3 + 1 × 3 + 2 × 1) / 7 = 200/7 and 40 × (1 × 1 + 2 × 3 + 3 × 3) / 7 = 640/7.
    double[][] expected = {
      {Math.rint((50 + 200) / 7.0), Math.rint((160 + 200) / 7.0)}, // 35.71 -> 36, 51.43 -> 51
      {Math.rint((50 + 640) / 7.0), Math.rint((160 + 640) / 7.0)}, // 98.57 -> 99, 114.29 -> 114
    };
    assertResized(pngOf(values), 2, expected);
  }

  @Test
  void doublingInterpolatesAndClampsAtTheEdges() {
    // 2 -> 4: scale 0.5, support 1: plain bilinear. Centres 0.25, 0.75, 1.25, 1.75; the first and
    // last see only their edge pixel. Along a row [a, b]: [a, 0.75a + 0.25b, 0.25a + 0.75b, b].
    // Row 0 [0, 100]   -> [0, 25, 75, 100]
    // Row 1 [200, 40]  -> [200, 160, 80, 40]
    // Then down the columns with the same weights.
    int[][] values = {
      {0, 100},
      {200, 40},
    };
    double[][] expected = {
      {0, 25, 75, 100},
      {50, 59, 76, 85}, // 0.75 × row 0 + 0.25 × row 1: 58.75, 76.25 rounded
      {150, 126, 79, 55}, // 0.25 × row 0 + 0.75 × row 1: 126.25, 78.75 rounded
      {200, 160, 80, 40},
    };
    assertResized(pngOf(values), 4, expected);
  }

  @Test
  void nonIntegerRatio() {
    // 3 -> 2: scale 1.5, support 1.5. Output 0 (centre 0.75): pixels 0, 1 weigh 5/6, 1/2 -> 5/8,
    // 3/8; output 1 (centre 2.25): pixels 1, 2 -> 3/8, 5/8.
    // Rows: [0, 40, 80] -> [15, 65]; [120, 160, 200] -> [135, 185]; [240, 0, 100] -> [150, 62.5]
    // Columns: 5/8 row0 + 3/8 row1 = [60, 110]; 3/8 row1 + 5/8 row2 = [144.375, 108.4375]
    int[][] values = {
      {0, 40, 80},
      {120, 160, 200},
      {240, 0, 100},
    };
    double[][] expected = {
      {60, 110},
      {144, 108},
    };
    assertResized(pngOf(values), 2, expected);
  }

  @Test
  void sameSizeIsTheIdentity() {
    int[][] values = {
      {1, 2, 3},
      {4, 5, 6},
      {7, 8, 255},
    };
    double[][] expected = {
      {1, 2, 3},
      {4, 5, 6},
      {7, 8, 255},
    };
    assertResized(pngOf(values), 3, expected);
  }

  @Test
  void aspectRatioIsNotKept() {
    // 4 × 1 -> 2 × 2: x halves (weights 3/7, 3/7, 1/7 as above: 500/7 and 1450/7), y stretches a
    // single row (every output row is that row).
    int[][] values = {{0, 100, 200, 250}};
    DecodedImage image = decoded(plainDecoder(2).decode(pngOf(values)));
    assertThat(image.width()).isEqualTo(4);
    assertThat(image.height()).isEqualTo(1);
    assertThat((double) rgbAt(image, 2, 0, 0)[0]).isCloseTo(71, within(EPS));
    assertThat((double) rgbAt(image, 2, 1, 0)[0]).isCloseTo(207, within(EPS));
    assertThat((double) rgbAt(image, 2, 0, 1)[0]).isCloseTo(71, within(EPS));
    assertThat((double) rgbAt(image, 2, 1, 1)[0]).isCloseTo(207, within(EPS));
  }

  @Test
  void normalisesEachChannelPlaneWithItsMeanAndStd() {
    float[] mean = {0.485f, 0.456f, 0.406f};
    float[] std = {0.229f, 0.224f, 0.225f};
    ImageDecoder decoder = new ImageDecoder(2, mean, std, TestImages.MAX_PIXELS);
    byte[] png =
        TestImages.write(TestImages.solid(3, 3, BufferedImage.TYPE_INT_RGB, 0x0A141E), "png");

    float[] chw = decoded(decoder.decode(png)).chw();

    assertThat(chw).hasSize(3 * 2 * 2);
    int[] values = {10, 20, 30};
    for (int c = 0; c < 3; c++) {
      double expected =
          (values[c] / 255.0 - mean[c]) / std[c]; // red: (0.0392 − 0.485) / 0.229 = −1.9466
      for (int i = 0; i < 4; i++) {
        assertThat((double) chw[c * 4 + i])
            .as("channel %d value %d", c, i)
            .isCloseTo(expected, within(1e-5));
      }
    }
  }

  @Test
  void outputIsChannelMajor() {
    // A pure red image: the first plane is 1, the other two 0.
    byte[] png =
        TestImages.write(TestImages.solid(2, 2, BufferedImage.TYPE_INT_RGB, 0xFF0000), "png");
    float[] chw = decoded(plainDecoder(2).decode(png)).chw();
    assertThat(chw).containsExactly(1f, 1f, 1f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f);
  }
}
