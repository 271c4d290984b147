package org.sparksaliency.job.method;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.image.DecodedImage;
import org.sparksaliency.job.image.ImageDecoder;
import org.sparksaliency.job.model.ExecutorModels;
import org.sparksaliency.job.model.ModelOwner;

/**
 * The maps do not depend on the micro-batch size: micro-batches of 1, 3, 7 and 64 samples give the
 * same maps within 1e-5 of the map's largest magnitude (1e-4 for the forward-only occlusion and
 * RISE), for every method a CNN can run, on three models: the tiny model (the seventeen methods
 * without guided_gradient); the tiny model with logits scaled by 2^-40 (all nineteen, maps of
 * ~1e-13 and squares of ~1e-26); and the sample CNN with guided_gradient (all nineteen at 128 ×
 * 128, whose samples span several micro-batches and images).
 */
class MicroBatchInvarianceTest {
  private static final int[] MICRO_BATCHES = {1, 3, 7, 64};
  private static final double TOLERANCE = 1e-5;

  /**
   * Occlusion and RISE maps are differences and means of probabilities near p(x): libtorch's
   * float32 logits move by ~1e-7 with the batch size (other conv blocking), which is ~1e-5 of a map
   * whose range is a small share of p(x). Measured worst case here: 1.1e-5.
   */
  private static final double FORWARD_ONLY_TOLERANCE = 1e-4;

  private static final List<String> FORWARD_ONLY = List.of("occlusion", "rise");
  private static final Map<String, Double> WORST = new java.util.TreeMap<>();

  /** Settings that give every sampling method several samples on the 16 × 16 tiny models. */
  private static final MethodOptions TINY_SAMPLING =
      MethodOptions.DEFAULTS
          .with(IntegratedGradientsMethod.STEPS, 12)
          .with(IntegratedGradientsMethod.BASELINE, IgBaseline.UNIFORM)
          .with(SmoothGradMethod.SAMPLES, 5)
          .with(SmoothGradMethod.SIGMA, 0.2f)
          .with(Seeds.SEED, 3L)
          .with(OcclusionMethod.WINDOW, 4)
          .with(OcclusionMethod.STRIDE, 4)
          .with(RiseMethod.MASKS, 10)
          .with(RiseMethod.GRID, 3)
          .with(RiseMethod.P, 0.5f);

  private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  private static List<float[]> tinyImages() {
    return List.of(TinyModel.input(0), TinyModel.input(1), TinyModel.input(2));
  }

  @org.junit.jupiter.api.AfterAll
  static void printWorst() {
    System.out.println("micro-batch invariance, worst max|a-b|/max|a| per method: " + WORST);
  }

  private static List<List<ImageExplanation>> runAll(
      ModelOwner owner,
      List<String> methods,
      int size,
      float[] mean,
      float[] std,
      MethodOptions sampling,
      List<float[]> images,
      List<String> ids) {
    List<List<ImageExplanation>> runs = new ArrayList<>();
    int[] targets = new int[images.size()];
    java.util.Arrays.fill(targets, BatchExplainer.PREDICTED);
    for (int mb : MICRO_BATCHES) {
      BatchExplainer e =
          new BatchExplainer(methods, sampling, size, mb, mean, std, MicroBatchRunner.DIRECT);
      runs.add(owner.call(m -> e.explain(m, images, targets, ids)));
    }
    return runs;
  }

  private static void assertSameMaps(
      List<List<ImageExplanation>> runs, List<String> methods, int images) {
    assertThat(runs).as("one run per micro-batch size").hasSize(MICRO_BATCHES.length);
    assertThat(runs)
        .allSatisfy(run -> assertThat(run).as("explanations of one run").hasSize(images));
    assertThat(methods).isNotEmpty();
    // Integrated gradients is the one method with a completeness error (its delta).
    java.util.Set<String> withDelta =
        methods.contains("integrated_gradients")
            ? java.util.Set.of("integrated_gradients")
            : java.util.Set.of();
    List<ImageExplanation> first = runs.get(0);
    for (int r = 1; r < runs.size(); r++) {
      for (int i = 0; i < first.size(); i++) {
        ImageExplanation a = first.get(i);
        ImageExplanation b = runs.get(r).get(i);
        assertThat(b.target()).isEqualTo(a.target());
        for (String method : methods) {
          float[] ma = a.maps().get(method);
          assertThat(TinyModel.maxAbs(ma)).as("%s of image %d", method, i).isGreaterThan(0f);
          double d = TinyModel.relativeDifference(ma, b.maps().get(method));
          WORST.merge(method, d, Math::max);
          assertThat(d)
              .as(
                  "%s of image %d, micro-batch %d vs %d",
                  method, i, MICRO_BATCHES[r], MICRO_BATCHES[0])
              .isLessThanOrEqualTo(
                  FORWARD_ONLY.contains(method) ? FORWARD_ONLY_TOLERANCE : TOLERANCE);
        }
        assertThat(a.completenessErrors().keySet())
            .as("completeness errors of image %d", i)
            .isEqualTo(withDelta);
        assertThat(b.completenessErrors().keySet())
            .as("completeness errors of image %d", i)
            .isEqualTo(withDelta);
        for (Map.Entry<String, Double> d : a.completenessErrors().entrySet()) {
          double scale = 0;
          for (float v : a.maps().get(d.getKey())) {
            scale += Math.abs(v);
          }
          assertThat(Math.abs(b.completenessErrors().get(d.getKey()) - d.getValue()))
              .as("%s delta of image %d", d.getKey(), i)
              .isLessThanOrEqualTo(TOLERANCE * scale);
        }
      }
    }
  }

  @Test
  void everyMethodGivesTheSameMapsForAnyMicroBatchOnTheTinyModel() {
    // Every method a CNN with features/head can run (the rollouts need a vision transformer).
    List<String> methods =
        MethodRegistry.names().stream()
            .filter(
                n ->
                    List.of("features", "head")
                        .containsAll(MethodRegistry.create(n).requiredModelMethods()))
            .toList();
    assertThat(methods).hasSize(17);
    MethodOptions s = TINY_SAMPLING;
    List<float[]> images = tinyImages();
    float[] mean = IMAGENET_MEAN;
    float[] std = IMAGENET_STD;
    List<List<ImageExplanation>> runs =
        runAll(
            TinyModel.owner(),
            methods,
            TinyModel.SIZE,
            mean,
            std,
            s,
            images,
            List.of("a", "b", "c"));
    assertSameMaps(runs, methods, images.size());
    assertThat(runs.get(0).get(0).completenessErrors()).containsOnlyKeys("integrated_gradients");
  }

  /** Every method a CNN with features, head and guided_gradient can run. */
  private static List<String> cnnMethods() {
    List<String> methods =
        MethodRegistry.names().stream()
            .filter(
                n ->
                    List.of("features", "head", GuidedGradient.MODEL_METHOD)
                        .containsAll(MethodRegistry.create(n).requiredModelMethods()))
            .toList();
    assertThat(methods).hasSize(19);
    return methods;
  }

  @Test
  void everyMethodGivesTheSameMapsForAnyMicroBatchAtLogitsScaledBy2ToTheMinus40() {
    List<String> methods = cnnMethods();
    MethodOptions s = TINY_SAMPLING;
    List<float[]> images = tinyImages();
    float[] mean = IMAGENET_MEAN;
    float[] std = IMAGENET_STD;
    ModelOwner scaled =
        ExecutorModels.acquire(
            TinyModel.spec(TinyModel.MODELS.resolve("tiny_smooth_scaled.pt")), "cpu", m -> {});
    List<List<ImageExplanation>> runs =
        runAll(scaled, methods, TinyModel.SIZE, mean, std, s, images, List.of("a", "b", "c"));
    assertThat(TinyModel.maxAbs(runs.get(0).get(0).maps().get("smoothgrad_sq"))).isLessThan(1e-20f);
    assertSameMaps(runs, methods, images.size());
  }

  @Test
  void everyMethodGivesTheSameMapsForAnyMicroBatchOnTheSampleModel() throws IOException {
    float[] mean = {0.485f, 0.456f, 0.406f};
    float[] std = {0.229f, 0.224f, 0.225f};
    ImageDecoder decoder = new ImageDecoder(128, mean, std, 50_000_000L);
    List<float[]> images = new ArrayList<>();
    for (String name : new String[] {"img_000.jpg", "img_001.png"}) {
      byte[] bytes = Files.readAllBytes(Path.of("../sample-data/images").resolve(name));
      images.add(((DecodedImage) decoder.decode(bytes)).chw());
    }
    List<String> methods = cnnMethods();
    MethodOptions s =
        MethodOptions.DEFAULTS
            .with(IntegratedGradientsMethod.STEPS, 8)
            .with(IntegratedGradientsMethod.BASELINE, IgBaseline.BLACK)
            .with(SmoothGradMethod.SAMPLES, 4)
            .with(SmoothGradMethod.SIGMA, 0.15f)
            .with(Seeds.SEED, 0L)
            .with(OcclusionMethod.WINDOW, 32)
            .with(OcclusionMethod.STRIDE, 32)
            .with(RiseMethod.MASKS, 20)
            .with(RiseMethod.GRID, 7)
            .with(RiseMethod.P, 0.5f);
    ModelOwner guided =
        ExecutorModels.acquire(
            TinyModel.spec(TinyModel.SAMPLE_MODEL.resolveSibling("shapes_cnn_guided.pt")),
            "cpu",
            m -> {});
    assertSameMaps(
        runAll(guided, methods, 128, mean, std, s, images, List.of("img_000", "img_001")),
        methods,
        images.size());
  }
}
