package org.sparksaliency.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchReportTest {

  private static BenchReport report() {
    BenchReport r = new BenchReport("test CPU", 2, 256.0, 100.0);
    Map<Integer, Double> sweep = new LinkedHashMap<>();
    sweep.put(4, 2.0);
    sweep.put(8, 2.5);
    sweep.put(16, 2.4);
    // gradient on a 3.6 GFLOP model: 7.2 GFLOP per image
    r.add(new BenchReport.MethodResult("resnet18", "gradient", 7.2, sweep, 2.0, 2.0, 1.0));
    r.add(
        new BenchReport.MethodResult(
            "resnet18", "gradcam", 3.6, Map.of(8, 5.0), Double.NaN, Double.NaN, Double.NaN));
    r.add(
        new BenchReport.Lever(
            "parameters requires_grad=false (vs true)", "resnet18", "gradient", 1.25, 2.5));
    r.add(new BenchReport.MemorySample(0, 1000.4));
    r.add(new BenchReport.MemorySample(500, 1001.6));
    r.note("decode 225 images/s");
    return r;
  }

  @Test
  void tableShowsTheBestBatchItsShareOfPeakAndTheRatios() {
    String table = report().table();

    assertThat(table)
        .contains(
            "peak fp32 with 2 threads: derived 256.0 GFLOP/s, attainable (matmul through DJL) 100.0 GFLOP/s")
        // 2.5 images/s x 7.2 GFLOP = 18.0 GFLOP/s = 7.0% of 256, 18.0% of 100; 2.5 / 2.0 = 1.25x
        // both ways
        .contains(
            "resnet18  gradient                  8      2.50     18.0    7.0%   18.0%      2.00   1.25x      2.00     1.25x")
        .contains(
            "resnet18  gradcam                   8      5.00     18.0    7.0%   18.0%         -       -         -         -")
        .contains(
            "parameters requires_grad=false (vs true)     resnet18  gradient                  1.25 ->     2.50  (2.00x)")
        .contains("  0:1000 500:1002")
        .contains("note: decode 225 images/s");
  }

  @Test
  void jsonHasTheSameFiguresAndNullForWhatWasNotRun() throws Exception {
    JsonNode root = new ObjectMapper().readTree(report().json());

    assertThat(root.get("derived_peak_gflops").asDouble()).isEqualTo(256.0);
    JsonNode gradient = root.get("results").get(0);
    assertThat(gradient.get("best_batch").asInt()).isEqualTo(8);
    assertThat(gradient.get("images_per_second_by_batch").get("16").asDouble()).isEqualTo(2.4);
    assertThat(gradient.get("gflops").asDouble()).isCloseTo(18.0, within(1e-9));
    assertThat(gradient.get("share_of_derived_peak").asDouble())
        .isCloseTo(18.0 / 256, within(1e-9));
    assertThat(gradient.get("java_over_pytorch").asDouble()).isCloseTo(1.25, within(1e-9));
    assertThat(gradient.get("overhead_model_only_over_end_to_end").asDouble())
        .isCloseTo(1.25, within(1e-9));
    assertThat(gradient.get("end_to_end_total_images_per_second").asDouble()).isEqualTo(1.0);
    JsonNode gradcam = root.get("results").get(1);
    assertThat(gradcam.get("pytorch_images_per_second").isNull()).isTrue();
    assertThat(gradcam.get("java_over_pytorch").isNull()).isTrue();
    assertThat(root.get("levers").get(0).get("ratio").asDouble()).isEqualTo(2.0);
    assertThat(root.get("memory").get(1).get("rss_mib").asDouble()).isEqualTo(1001.6);
    assertThat(root.get("notes").get(0).asText()).isEqualTo("decode 225 images/s");
  }

  @Test
  void mapAgreementIsPearsonCorrelation() {
    float[] a = {1, 2, 3, 4};

    assertThat(MapAgreement.pearson(a, new float[] {2, 4, 6, 8})).isCloseTo(1.0, within(1e-12));
    assertThat(MapAgreement.pearson(a, new float[] {4, 3, 2, 1})).isCloseTo(-1.0, within(1e-12));
    // mean 2.5 each; covariance of (−1.5, −.5, .5, 1.5) and (−.5, .5, .5, −.5) is 0
    assertThat(MapAgreement.pearson(a, new float[] {2, 3, 3, 2})).isCloseTo(0.0, within(1e-12));
    assertThat(MapAgreement.pearson(new float[] {0, 0}, new float[] {0, 0})).isEqualTo(1.0);
    assertThat(MapAgreement.pearson(new float[] {0, 0}, new float[] {1, 2})).isEqualTo(0.0);
  }

  @Test
  void methodFlopsCountForwardAndInputGradientBackwardPasses() {
    assertThat(MethodFlops.perImage("gradient", 3.0, 32)).isEqualTo(6.0);
    assertThat(MethodFlops.perImage("gradcam", 3.0, 32)).isEqualTo(3.0);
    assertThat(MethodFlops.perImage("integrated_gradients", 3.0, 32)).isEqualTo(3.0 + 32 * 6.0);
    assertThatThrownBy(() -> MethodFlops.perImage("rise", 3.0, 32))
        .hasMessage(
            "Cannot count the FLOPs of method 'rise': known: gradient, gradcam, integrated_gradients");
  }

  @Test
  void optionsHaveDefaultsAndRejectBadValuesNamingTheOption() {
    List<String> known = List.of("gradient", "gradcam", "attention_rollout");
    BenchOptions d = BenchOptions.parse(new String[0], Path.of("/repo"), 2, known);

    assertThat(d.models()).containsExactly("resnet18", "resnet50");
    assertThat(d.methods()).containsExactly("gradcam", "gradient");
    assertThat(d.batchSizes()).containsExactly(4, 8, 16);
    assertThat(d.threads()).isEqualTo(2);
    assertThat(d.json()).isEqualTo(Path.of("/repo/target/bench/bench.json"));
    BenchOptions o =
        BenchOptions.parse(
            new String[] {
              "--models", "resnet50", "--batch-sizes", "2, 32", "--images", "4", "--ig-images", "9"
            },
            Path.of("/repo"),
            2,
            known);
    assertThat(o.models()).containsExactly("resnet50");
    assertThat(o.batchSizes()).containsExactly(2, 32);
    assertThat(o.igImages()).isEqualTo(4);
    assertThatThrownBy(
            () -> BenchOptions.parse(new String[] {"--models", "vgg16"}, Path.of("."), 2, known))
        .hasMessage("Cannot run bench: --models has unknown 'vgg16'; known: resnet18, resnet50");
    assertThatThrownBy(
            () -> BenchOptions.parse(new String[] {"--images", "0"}, Path.of("."), 2, known))
        .hasMessage("Cannot run bench: --images must be a positive integer, got '0'");
    assertThatThrownBy(
            () -> BenchOptions.parse(new String[] {"--pytorch", "yes"}, Path.of("."), 2, known))
        .hasMessage("Cannot run bench: --pytorch must be true or false, got 'yes'");
    assertThatThrownBy(
            () -> BenchOptions.parse(new String[] {"--fast", "1"}, Path.of("."), 2, known))
        .hasMessage("Cannot run bench: unknown option --fast (see bench --help)");
  }
}
