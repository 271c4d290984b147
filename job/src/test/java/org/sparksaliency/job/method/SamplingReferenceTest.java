package org.sparksaliency.job.method;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparksaliency.udf.RankCorrelation;

/**
 * The sampling methods with noise (smoothgrad, smoothgrad_sq, vargrad at σ > 0, gradient_shap)
 * against PyTorch repeating the job's very draws (sample-data/make_sampling_references.py, Debian's
 * PyTorch 1.13): Spearman ≥ 0.999 and max |error| ≤ 1e-4 of the reference map's range, at several
 * micro-batch sizes.
 */
class SamplingReferenceTest {
  private static final Path REFERENCE = Path.of("src/test/resources/reference/sampling.json");
  private static final List<String> METHODS =
      List.of("smoothgrad", "smoothgrad_sq", "vargrad", "gradient_shap");

  private static JsonNode reference() throws IOException {
    return new ObjectMapper().readTree(REFERENCE.toFile());
  }

  /** Every micro-batch size with one and with two intra-op threads. */
  static Stream<Arguments> microBatchesAndThreads() {
    return IntStream.of(1, 2, 3, 5, 16, 24)
        .boxed()
        .flatMap(mb -> Stream.of(Arguments.of(mb, 1), Arguments.of(mb, 2)));
  }

  @ParameterizedTest
  @MethodSource("microBatchesAndThreads")
  void mapsEqualPyTorchsWithTheSameDraws(int microBatch, int threads) throws IOException {
    JsonNode ref = reference();
    int size = ref.get("size").asInt();
    MethodOptions options =
        MethodOptions.DEFAULTS
            .with(Seeds.SEED, ref.get("seed").asLong())
            .with(SmoothGradMethod.SAMPLES, ref.get("samples").asInt())
            .with(SmoothGradMethod.SIGMA, (float) ref.get("smoothgrad_sigma").asDouble())
            .with(GradientShapMethod.SAMPLES, ref.get("samples").asInt())
            .with(GradientShapMethod.STDEV, (float) ref.get("gradient_shap_stdev").asDouble());
    float[] mean = floats(ref.get("mean"));
    float[] std = floats(ref.get("std"));
    List<float[]> images = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    int[] targets = new int[ref.get("images").size()];
    for (int k = 0; k < targets.length; k++) {
      images.add(TinyModel.input(k));
      ids.add(ref.get("images").get(k).get("id").asText());
      targets[k] = BatchExplainer.PREDICTED;
    }
    BatchExplainer explainer =
        new BatchExplainer(METHODS, options, size, microBatch, mean, std, MicroBatchRunner.DIRECT);
    List<ImageExplanation> got =
        TinyModel.owner(threads).call(m -> explainer.explain(m, images, targets, ids));
    for (int k = 0; k < targets.length; k++) {
      JsonNode r = ref.get("images").get(k);
      assertThat(got.get(k).target())
          .as("target of image %d", k)
          .isEqualTo(r.get("target").asInt());
      for (String method : METHODS) {
        float[] expected = floats(r.get("maps").get(method));
        float[] actual = got.get(k).maps().get(method);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double err = 0;
        for (int p = 0; p < expected.length; p++) {
          lo = Math.min(lo, expected[p]);
          hi = Math.max(hi, expected[p]);
          err = Math.max(err, Math.abs(expected[p] - actual[p]));
        }
        assertThat(hi - lo).as("%s of image %d is not flat", method, k).isGreaterThan(0);
        assertThat(RankCorrelation.spearmanSigned(expected, actual))
            .as(
                "%s of image %d, micro-batch %d, %d threads: Spearman",
                method, k, microBatch, threads)
            .isGreaterThanOrEqualTo(0.999);
        assertThat(err / (hi - lo))
            .as(
                "%s of image %d, micro-batch %d, %d threads: max |error| / range",
                method, k, microBatch, threads)
            .isLessThanOrEqualTo(1e-4);
      }
    }
  }

  @Test
  void theReferenceHasEveryMethodForEveryImage() throws IOException {
    JsonNode ref = reference();
    assertThat(ref.get("images")).hasSize(3);
    for (JsonNode image : ref.get("images")) {
      assertThat(image.get("maps").fieldNames())
          .toIterable()
          .containsExactlyInAnyOrderElementsOf(METHODS);
    }
  }

  private static float[] floats(JsonNode a) {
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) a.get(i).asDouble();
    }
    return out;
  }
}
