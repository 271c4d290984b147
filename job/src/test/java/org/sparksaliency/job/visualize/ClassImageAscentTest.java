package org.sparksaliency.job.visualize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The optimiser and its image operations, against a model written by hand (a linear logit). */
class ClassImageAscentTest {
  private static final int SIZE = 8;
  private static final float[] MEAN = {0.5f, 0.5f, 0.5f};
  private static final float[] STD = {0.25f, 0.25f, 0.25f};

  /** logit = sum of the red plane's left half: its gradient is fixed. */
  private static final class LeftRed implements TargetGradient {
    int gradientCalls;

    @Override
    public Step at(float[] image) {
      gradientCalls++;
      float[] g = new float[image.length];
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE / 2; x++) {
          g[y * SIZE + x] = 1;
        }
      }
      return new Step(logit(image), g);
    }

    @Override
    public float logit(float[] image) {
      float s = 0;
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE / 2; x++) {
          s += image[y * SIZE + x];
        }
      }
      return s;
    }
  }

  private static AscentSettings settings(int steps, int jitter, int blurEvery) {
    return new AscentSettings(SIZE, MEAN, STD, steps, 0.2f, 0.01f, jitter, blurEvery, 0.5f, 3);
  }

  @Test
  void withoutJitterOrBlurTheImageClimbsToTheBrightestLeftRedHalf() {
    LeftRed model = new LeftRed();
    ClassImageAscent.Result r = new ClassImageAscent(settings(40, 0, 0)).run(1, model);
    assertThat(model.gradientCalls).isEqualTo(40);
    assertThat(r.finalLogit()).isGreaterThan(r.initialLogit());
    for (int t = 1; t < r.trace().length; t++) {
      assertThat(r.trace()[t]).as("step %d", t).isGreaterThanOrEqualTo(r.trace()[t - 1]);
    }
    // Clipped at pixel value 1: (1 - 0.5) / 0.25 = 2 in every left red value.
    assertThat(r.image()[0]).isEqualTo(2f);
    assertThat(r.finalLogit()).isEqualTo(2f * SIZE * SIZE / 2);
  }

  @Test
  void theSameSeedGivesTheSameImage() {
    float[] a = new ClassImageAscent(settings(10, 2, 3)).run(2, new LeftRed()).image();
    float[] b = new ClassImageAscent(settings(10, 2, 3)).run(2, new LeftRed()).image();
    float[] other = new ClassImageAscent(settings(10, 2, 3)).run(3, new LeftRed()).image();
    assertThat(a).containsExactly(b);
    assertThat(a).isNotEqualTo(other);
  }

  @Test
  void rollShiftsWithWrapAroundAndBlurKeepsAConstantImage() {
    float[] img = new float[3 * SIZE * SIZE];
    img[0] = 1; // red (0, 0)
    float[] rolled = ImageOps.roll(img, SIZE, 2, 1);
    assertThat(rolled[1 * SIZE + 2]).isEqualTo(1f);
    assertThat(ImageOps.roll(rolled, SIZE, -2, -1)).containsExactly(img);
    float[] flat = new float[3 * SIZE * SIZE];
    java.util.Arrays.fill(flat, 0.7f);
    for (float v : ImageOps.gaussianBlur(flat, SIZE, 1.0f)) {
      assertThat(v).isCloseTo(0.7f, org.assertj.core.data.Offset.offset(1e-6f));
    }
    float[] blurred = ImageOps.gaussianBlur(rolled, SIZE, 1.0f);
    assertThat(blurred[1 * SIZE + 2]).isLessThan(1f).isGreaterThan(blurred[1 * SIZE + 3]);
  }

  @Test
  void pixelsMapBackToRgb() {
    float[] img = new float[3 * 4];
    img[0] = 2f; // red 1.0
    img[4] = -2f; // green 0.0
    img[8] = 0f; // blue 0.5
    int rgb = ImageOps.toRgb(img, 2, MEAN, STD)[0];
    assertThat(rgb).isEqualTo((255 << 16) | (0 << 8) | 128);
  }
}
