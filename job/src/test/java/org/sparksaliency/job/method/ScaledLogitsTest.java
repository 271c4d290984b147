package org.sparksaliency.job.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.model.ExecutorModels;
import org.sparksaliency.job.model.ModelOwner;
import org.sparksaliency.job.summary.HeatmapSummary;
import org.sparksaliency.udf.SaliencyStatistics;

/**
 * Every CNN method on tiny_smooth_scaled.pt, whose logits and gradients are exactly C = 2^-40 (≈
 * 9.1e-13) times tiny_smooth.pt's (sample-data/make_test_models.py): each map is finite, non-zero
 * and a valid heatmap row, and each is what the scale predicts from the unscaled model: C times its
 * map for the gradient methods, C² for the squared ones, C times the logit-space drop for occlusion
 * (softmax is linear in the logits near 0). Grad-CAM++ and RISE are not proportional by their
 * definitions; their own tests say how.
 */
class ScaledLogitsTest {
  private static final double C = 0x1p-40;
  private static final int SIZE = TinyModel.SIZE;
  private static final float[] MEAN = {0f, 0f, 0f};
  private static final float[] STD = {1f, 1f, 1f};
  private static final int OCCLUSION_WINDOW = 4;
  private static final MethodOptions SAMPLING =
      MethodOptions.DEFAULTS
          .with(IntegratedGradientsMethod.STEPS, 8)
          .with(IntegratedGradientsMethod.BASELINE, IgBaseline.UNIFORM)
          .with(SmoothGradMethod.SAMPLES, 4)
          .with(SmoothGradMethod.SIGMA, 0.2f)
          .with(Seeds.SEED, 5L)
          .with(OcclusionMethod.WINDOW, OCCLUSION_WINDOW)
          .with(OcclusionMethod.STRIDE, OCCLUSION_WINDOW)
          .with(RiseMethod.MASKS, 8)
          .with(RiseMethod.GRID, 3)
          .with(RiseMethod.P, 0.5f);
  private static final List<float[]> IMAGES = List.of(TinyModel.input(), TinyModel.input(1));
  private static final List<String> IDS = List.of("a", "b");

  /** Every method a CNN with features, head and guided_gradient can run. */
  private static final List<String> METHODS =
      MethodRegistry.names().stream()
          .filter(
              n ->
                  List.of("features", "head", GuidedGradient.MODEL_METHOD)
                      .containsAll(MethodRegistry.create(n).requiredModelMethods()))
          .toList();

  private static final java.util.Map<String, Double> WORST = new java.util.TreeMap<>();

  private static ModelOwner plainOwner;
  private static List<ImageExplanation> plain;
  private static List<ImageExplanation> scaled;

  @BeforeAll
  static void explainBoth() {
    plainOwner = TinyModel.owner();
    ModelOwner scaledOwner =
        ExecutorModels.acquire(
            TinyModel.spec(TinyModel.MODELS.resolve("tiny_smooth_scaled.pt")), "cpu", m -> {});
    List<String> unguided = METHODS.stream().filter(m -> !m.startsWith("guided")).toList();
    plain = explain(plainOwner, unguided);
    scaled = explain(scaledOwner, METHODS);
    // The tests below walk IMAGES and read both lists at each index.
    assertThat(plain).hasSameSizeAs(IMAGES);
    assertThat(scaled).hasSameSizeAs(IMAGES);
  }

  @org.junit.jupiter.api.AfterAll
  static void printWorst() {
    System.out.println(
        "scaled logits, worst max|expected-actual|/max|expected| per method: " + WORST);
  }

  private static List<ImageExplanation> explain(ModelOwner owner, List<String> methods) {
    BatchExplainer e =
        new BatchExplainer(methods, SAMPLING, SIZE, 8, MEAN, STD, MicroBatchRunner.DIRECT);
    int[] targets = {BatchExplainer.PREDICTED, BatchExplainer.PREDICTED};
    return owner.call(m -> e.explain(m, IMAGES, targets, IDS));
  }

  private static float[] times(float[] map, double c) {
    float[] out = new float[map.length];
    for (int i = 0; i < map.length; i++) {
      out[i] = (float) (map[i] * c);
    }
    return out;
  }

  private static void assertProportional(
      String method, int image, float[] expected, float[] actual, double tolerance) {
    assertThat(actual)
        .as("%s of image %d", method, image)
        .hasSize(SIZE * SIZE)
        .hasSameSizeAs(expected);
    assertThat(TinyModel.maxAbs(expected)).as("%s of image %d", method, image).isGreaterThan(0f);
    double d = TinyModel.relativeDifference(expected, actual);
    WORST.merge(method, d, Math::max);
    assertThat(d)
        .as("%s of image %d against the unscaled model's", method, image)
        .isLessThanOrEqualTo(tolerance);
  }

  @Test
  void everyMapIsFiniteNonZeroAndAHeatmapRow() {
    assertThat(METHODS).hasSize(19);
    for (int i = 0; i < IMAGES.size(); i++) {
      assertThat(scaled.get(i).maps()).containsOnlyKeys(METHODS);
      assertThat(scaled.get(i).target()).isEqualTo(plain.get(i).target());
      for (String method : METHODS) {
        float[] map = scaled.get(i).maps().get(method);
        for (float v : map) {
          assertThat(v).as("%s of image %d", method, i).isFinite();
        }
        assertThat(TinyModel.maxAbs(map)).as("%s of image %d", method, i).isGreaterThan(0f);
        assertThat(HeatmapSummary.of(map, SIZE, 8, 64, 64, Optional.empty()))
            .as("%s of image %d", method, i)
            .isPresent();
      }
    }
  }

  @Test
  void gradientMethodsScaleWithTheLogits() {
    for (int i = 0; i < IMAGES.size(); i++) {
      var p = plain.get(i).maps();
      var s = scaled.get(i).maps();
      for (String method :
          List.of(
              "gradient", "input_x_gradient", "integrated_gradients", "smoothgrad", "gradcam")) {
        assertProportional(method, i, times(p.get(method), C), s.get(method), 1e-5);
      }
      for (String method : List.of("smoothgrad_sq", "vargrad")) {
        assertProportional(method, i, times(p.get(method), C * C), s.get(method), 1e-5);
      }
      // Without a ReLU the guided gradient is the gradient, and Guided Grad-CAM its product with
      // Grad-CAM.
      assertProportional(
          "guided_backprop", i, times(p.get("gradient"), C), s.get("guided_backprop"), 1e-5);
      float[] product = new float[SIZE * SIZE];
      for (int q = 0; q < product.length; q++) {
        product[q] = (float) ((double) p.get("gradient")[q] * p.get("gradcam")[q] * C * C);
      }
      assertProportional("guided_gradcam", i, product, s.get("guided_gradcam"), 1e-5);
      // The completeness error is a small difference of float32 logits: compare it on the scale of
      // the
      // attributions, as MicroBatchInvarianceTest does.
      double delta = plain.get(i).completenessErrors().get("integrated_gradients");
      double scale = 0;
      for (float v : p.get("integrated_gradients")) {
        scale += Math.abs(v);
      }
      assertThat(scale).isGreaterThan(0);
      assertThat(scaled.get(i).completenessErrors().get("integrated_gradients") / C)
          .isCloseTo(delta, within(1e-5 * scale));
    }
  }

  @Test
  void statisticsOfTheScaledMapsAreThoseOfTheUnscaledOnes() {
    for (int i = 0; i < IMAGES.size(); i++) {
      for (String method :
          List.of("gradient", "integrated_gradients", "smoothgrad_sq", "vargrad", "gradcam")) {
        HeatmapSummary p =
            HeatmapSummary.of(plain.get(i).maps().get(method), SIZE, 8, 64, 64, Optional.empty())
                .orElseThrow();
        HeatmapSummary s =
            HeatmapSummary.of(scaled.get(i).maps().get(method), SIZE, 8, 64, 64, Optional.empty())
                .orElseThrow();
        assertThat(s.entropy())
            .as("%s of image %d", method, i)
            .isCloseTo(p.entropy(), within(1e-5));
        assertThat(s.gini()).as("%s of image %d", method, i).isCloseTo(p.gini(), within(1e-5));
        assertThat(s.peakX()).as("%s of image %d", method, i).isEqualTo(p.peakX());
        assertThat(s.peakY()).as("%s of image %d", method, i).isEqualTo(p.peakY());
      }
    }
  }

  /**
   * Near logits 0, p_t(C z) = 1/K + (C/K) (z_t − mean(z)) + O(C²): occlusion is C/K times the drop
   * of z_t − mean(z), computed here from the unscaled model's logits on the occluded inputs. The
   * tolerance is the forward-only one of {@link MicroBatchInvarianceTest} (float32 logits move with
   * the batch layout).
   */
  @Test
  void occlusionIsTheDropOfTheCentredTargetLogitTimesTheScale() {
    for (int i = 0; i < IMAGES.size(); i++) {
      float[] expected = times(logitOcclusion(IMAGES.get(i), plain.get(i).target()), C / 3);
      assertProportional("occlusion", i, expected, scaled.get(i).maps().get("occlusion"), 1e-4);
    }
  }

  @Test
  void gradcamPlusPlusIsFiniteButNotProportional() {
    for (int i = 0; i < IMAGES.size(); i++) {
      float[] s = scaled.get(i).maps().get("gradcam_pp");
      // alpha = g² / (2g² + ΣA g³ + 1e-6): at g ~ 1e-14 the absolute epsilon dominates (see the
      // class).
      assertThat((double) TinyModel.maxAbs(s)).as("image %d", i).isBetween(1e-35, 1e-31);
      assertThat(TinyModel.relativeDifference(times(plain.get(i).maps().get("gradcam_pp"), C), s))
          .isGreaterThan(0.01);
    }
  }

  @Test
  void riseIsFlatAtTheUniformProbabilityBecauseFloat32CannotHoldTheVariation() {
    for (int i = 0; i < IMAGES.size(); i++) {
      float[] s = scaled.get(i).maps().get("rise");
      assertThat(s[0]).isCloseTo(1f / 3, within(1e-6f));
      assertThat(s).containsOnly(s[0]);
      assertThat(SaliencyStatistics.isFlat(plain.get(i).maps().get("rise"))).isFalse();
    }
  }

  /**
   * Per pixel, the mean over the windows covering it of the drop of z_t − mean(z), unscaled model.
   */
  private static float[] logitOcclusion(float[] x, int target) {
    int[] starts = OcclusionMethod.starts(SIZE, OCCLUSION_WINDOW, OCCLUSION_WINDOW);
    int windows = starts.length * starts.length;
    int plane = SIZE * SIZE;
    float[] batch = new float[(1 + windows) * 3 * plane];
    for (int row = 0; row <= windows; row++) {
      int offset = row * 3 * plane;
      System.arraycopy(x, 0, batch, offset, 3 * plane);
      if (row > 0) {
        forEachPixel(
            starts,
            row - 1,
            q -> {
              for (int c = 0; c < 3; c++) {
                batch[offset + c * plane + q] = 0;
              }
            });
      }
    }
    float[] logits =
        plainOwner.call(
            m -> {
              try (NDManager scope = m.manager().newSubManager()) {
                return m.call("forward", scope.create(batch, new Shape(1 + windows, 3, SIZE, SIZE)))
                    .toFloatArray();
              }
            });
    double[] sum = new double[plane];
    int[] cover = new int[plane];
    double unoccluded = centred(logits, 0, target);
    for (int w = 0; w < windows; w++) {
      double drop = unoccluded - centred(logits, w + 1, target);
      forEachPixel(
          starts,
          w,
          q -> {
            sum[q] += drop;
            cover[q]++;
          });
    }
    float[] out = new float[plane];
    for (int q = 0; q < plane; q++) {
      out[q] = (float) (sum[q] / cover[q]);
    }
    return out;
  }

  /** Window w's pixels, windows numbered row by row as in {@link OcclusionMethod}. */
  private static void forEachPixel(int[] starts, int w, java.util.function.IntConsumer action) {
    int y0 = starts[w / starts.length];
    int x0 = starts[w % starts.length];
    for (int y = y0; y < y0 + OCCLUSION_WINDOW; y++) {
      for (int x = x0; x < x0 + OCCLUSION_WINDOW; x++) {
        action.accept(y * SIZE + x);
      }
    }
  }

  private static double centred(float[] logits, int row, int target) {
    double mean = ((double) logits[3 * row] + logits[3 * row + 1] + logits[3 * row + 2]) / 3;
    return logits[3 * row + target] - mean;
  }
}
