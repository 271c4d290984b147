package org.sparksaliency.job.method;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.IntStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.model.ModelOwner;

/**
 * Every method's raw map (model-input resolution, before resampling and quantisation) of every
 * image of the PyTorch reference suite (sample-data/make_reference_suite.py) at every batch size,
 * micro-batch size and torch thread count: libtorch may pick other convolution kernels for other
 * batch shapes or thread counts (on an AVX-512 EPYC its oneDNN kernels gave wrong input gradients
 * whenever a pass held two or more samples), and the reference was computed one sample per pass.
 * Spearman ≥ 0.999 catches a wrong map; max |error| ≤ 1e-4 of the reference map's range catches a
 * slightly wrong one.
 */
class ReferenceSuiteTest {
  private static final int[] THREADS = {1, 2};

  /**
   * (images per explain call, samples per model pass): single, equal, micro-batches splitting or
   * packing images.
   */
  private static final int[][] BATCHES = {{1, 1}, {2, 2}, {3, 3}, {16, 16}, {16, 3}, {3, 16}};

  private static final double MIN_SPEARMAN = 0.999;
  private static final double MAX_RELATIVE_ERROR = 1e-4;
  private static final float[] MEAN = {0f, 0f, 0f};
  private static final float[] STD = {1f, 1f, 1f};

  /** "model method" → {worst Spearman, worst relative error}, for the summary line. */
  private static final Map<String, double[]> WORST = new LinkedHashMap<>();

  private static ReferenceSuite suite;
  private static ReferenceSuite cams;

  @BeforeAll
  static void load() {
    suite = ReferenceSuite.load();
    cams = ReferenceSuite.load("cam_index.json");
  }

  @AfterAll
  static void printWorst() {
    StringJoiner line =
        new StringJoiner(", ", "reference suite, worst Spearman / max|error|/range: ", "");
    WORST.forEach((key, w) -> line.add(String.format("%s %.7f / %.2e", key, w[0], w[1])));
    System.out.println(line);
  }

  @Test
  void bnMaxPoolMapsMatchPyTorchAtEveryBatchMicroBatchAndThreadCount() {
    assertMatchesReference(suite.model("bn_maxpool"));
  }

  @Test
  void resNetStyleMapsMatchPyTorchAtEveryBatchMicroBatchAndThreadCount() {
    assertMatchesReference(suite.model("resnet_style"));
  }

  /**
   * hirescam, xgradcam, layercam, eigencam, scorecam, ablationcam
   * (sample-data/make_cam_references.py); scorecam and ablationcam take one micro-batch sample per
   * feature channel, so the micro-batches of 3 split an image's channels across passes.
   */
  @Test
  void camFamilyOnBnMaxPoolMatchesPyTorchAtEveryBatchMicroBatchAndThreadCount() {
    assertMatchesReference(cams, cams.model("bn_maxpool"));
  }

  @Test
  void camFamilyOnResNetStyleMatchesPyTorchAtEveryBatchMicroBatchAndThreadCount() {
    assertMatchesReference(cams, cams.model("resnet_style"));
  }

  /** What one comparison ran under, for the failure message. */
  private record Run(String model, int threads, int batch, int microBatch) {
    String describe(String method, int image) {
      return String.format(
          "model %s, method %s, image %d, threads %d, batch %d, micro-batch %d",
          model, method, image, threads, batch, microBatch);
    }
  }

  private static void assertMatchesReference(ReferenceSuite.Model model) {
    assertMatchesReference(suite, model);
  }

  private static void assertMatchesReference(ReferenceSuite suite, ReferenceSuite.Model model) {
    // guided_backprop needs the guided export of the same weights; everything else runs on the
    // plain file.
    List<String> guided =
        suite.methods.stream().filter(ReferenceSuiteTest::needsGuidedExport).toList();
    List<String> plain = suite.methods.stream().filter(m -> !needsGuidedExport(m)).toList();
    SoftAssertions soft = new SoftAssertions();
    int compared = 0;
    for (int threads : THREADS) {
      try (ModelOwner plainOwner = open(model.file().toAbsolutePath(), threads);
          ModelOwner guidedOwner =
              guided.isEmpty() ? null : open(model.guidedFile().toAbsolutePath(), threads)) {
        for (int[] b : BATCHES) {
          Run run = new Run(model.name(), threads, b[0], b[1]);
          compared += compare(suite, soft, model, run, plainOwner, plain);
          if (guidedOwner != null) {
            compared += compare(suite, soft, model, run, guidedOwner, guided);
          }
        }
      }
    }
    int expected = THREADS.length * BATCHES.length * suite.images.size() * suite.methods.size();
    if (model.guidedFile() == null) {
      soft.assertThat(guided).as("methods on the guided export of a suite without one").isEmpty();
    } else {
      soft.assertThat(guided)
          .as("methods on the guided export")
          .containsExactly(GuidedBackpropMethod.NAME);
    }
    soft.assertThat(compared).as("maps compared for model %s", model.name()).isEqualTo(expected);
    soft.assertAll();
  }

  private static boolean needsGuidedExport(String method) {
    return MethodRegistry.create(method)
        .requiredModelMethods()
        .contains(GuidedGradient.MODEL_METHOD);
  }

  private static ModelOwner open(java.nio.file.Path file, int threads) {
    return ModelOwner.open(file.toUri().toString(), file, "cpu", threads, m -> {});
  }

  /**
   * Explains the images in consecutive batches of run.batch() images; returns the number of maps
   * compared.
   */
  private static int compare(
      ReferenceSuite suite,
      SoftAssertions soft,
      ReferenceSuite.Model model,
      Run run,
      ModelOwner owner,
      List<String> methods) {
    BatchExplainer explainer =
        new BatchExplainer(
            methods,
            suite.sampling,
            suite.size,
            run.microBatch(),
            MEAN,
            STD,
            MicroBatchRunner.DIRECT);
    int n = suite.images.size();
    int compared = 0;
    for (int start = 0; start < n; start += run.batch()) {
      int first = start;
      int end = Math.min(n, start + run.batch());
      List<float[]> images = suite.images.subList(first, end);
      List<String> ids = IntStream.range(first, end).mapToObj(i -> "reference-" + i).toList();
      int[] targets = new int[end - first];
      Arrays.fill(targets, BatchExplainer.PREDICTED);
      List<ImageExplanation> out = owner.call(m -> explainer.explain(m, images, targets, ids));
      for (int i = first; i < end; i++) {
        ImageExplanation e = out.get(i - first);
        soft.assertThat(e.target())
            .as("%s: predicted class", run.describe("prediction", i))
            .isEqualTo(model.targets()[i]);
        for (String method : methods) {
          float[] expected = model.maps()[suite.methods.indexOf(method)][i];
          compareMap(
              soft,
              run.describe(method, i),
              model.name() + " " + method,
              e.maps().get(method),
              expected);
          compared++;
        }
      }
    }
    return compared;
  }

  private static void compareMap(
      SoftAssertions soft, String where, String key, float[] actual, float[] expected) {
    soft.assertThat(actual).as("%s: map", where).hasSameSizeAs(expected);
    if (actual == null || actual.length != expected.length) {
      return;
    }
    if (isConstant(expected)) {
      // A map that is ReLU of negative values everywhere (resnet_style's ablationcam of image 2):
      // no ranks to correlate, so the map must be that constant.
      soft.assertThat(actual).as("%s: constant reference map", where).containsOnly(expected[0]);
      return;
    }
    double rho = org.sparksaliency.udf.RankCorrelation.spearmanSigned(expected, actual);
    double error = relativeError(actual, expected);
    double[] w = WORST.computeIfAbsent(key, k -> new double[] {1, 0});
    // Math.min and Math.max keep a NaN, so a NaN map shows in the summary too.
    w[0] = Math.min(w[0], rho);
    w[1] = Math.max(w[1], error);
    String measured =
        String.format(
            "%s: Spearman %.6f (at least %s), max|error|/range %.3e (at most %s)",
            where, rho, MIN_SPEARMAN, error, MAX_RELATIVE_ERROR);
    soft.assertThat(rho).as(measured).isGreaterThanOrEqualTo(MIN_SPEARMAN);
    soft.assertThat(error).as(measured).isLessThanOrEqualTo(MAX_RELATIVE_ERROR);
  }

  private static boolean isConstant(float[] map) {
    for (float v : map) {
      if (v != map[0]) {
        return false;
      }
    }
    return true;
  }

  /**
   * max |actual − expected| / (max − min of expected); NaN for a constant reference map or a NaN in
   * actual.
   */
  static double relativeError(float[] actual, float[] expected) {
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    double error = 0;
    for (int i = 0; i < expected.length; i++) {
      max = Math.max(max, expected[i]);
      min = Math.min(min, expected[i]);
      error = Math.max(error, Math.abs((double) actual[i] - expected[i]));
    }
    return max > min ? error / (max - min) : Double.NaN;
  }
}
