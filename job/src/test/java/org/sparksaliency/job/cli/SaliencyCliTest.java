package org.sparksaliency.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.output.RunSummary;

class SaliencyCliTest {

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        SaliencyCli.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void badOptionExitsTwoWithOneLineBeforeSparkStarts() {
    Result r =
        run(
            "run",
            "--input",
            "in",
            "--model",
            "m.pt",
            "--output",
            "o",
            "--methods",
            "gradient,gradcm");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "Cannot use --methods: unknown method 'gradcm'; known: "
                + String.join(", ", org.sparksaliency.job.method.MethodRegistry.names())
                + "\n");
    assertThat(SparkSession.getActiveSession().isDefined()).isFalse();
    assertThat(SparkSession.getDefaultSession().isDefined()).isFalse();
  }

  @Test
  void helpListsEveryOption() {
    Result r = run("run", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains(
            "--input (required)",
            "--model (required)",
            "--output (required)",
            "--methods",
            "--image-size",
            "--mean",
            "--std",
            "--batch-size",
            "--micro-batch-size",
            "--heatmap-size",
            "--target",
            "--master",
            "--config",
            "--labels",
            "--manifest",
            "--rollout-head-fusion",
            "--rollout-discard");
  }

  @Test
  void summaryPrintsPointingAccuracyForMethodsWithBoxes() {
    Map<String, Long> heatmaps = new LinkedHashMap<>();
    heatmaps.put("attention_rollout", 40L);
    heatmaps.put("gradient", 3L);
    RunSummary s =
        new RunSummary(
            "r1",
            "out/",
            "ab",
            40,
            heatmaps,
            Map.of(),
            0,
            40,
            0,
            2.0,
            4.0,
            Map.of("attention_rollout", 0.825),
            0,
            java.util.List.of(),
            java.util.List.of());
    assertThat(SaliencyCli.format(s))
        .isEqualTo(
            String.format(
                "spark-saliency r1: 40 images in 4.0 s (20.00 images/s explained)%n"
                    + "  attention_rollout      40 heatmaps, pointing accuracy 0.825%n"
                    + "  gradient               3 heatmaps%n"
                    + "  quarantined            0 files%n"
                    + "  output                 out/ (heatmaps/, class_stats/, quarantine/ under run_id=r1; runs/r1/run.json)%n"));
  }

  @Test
  void summaryNamesTheEngineVerdicts() {
    Map<String, Long> heatmaps = Map.of("gradient", 4L);
    java.util.List<Map<String, Object>> passed =
        java.util.List.of(
            Map.of("executor", "1", "check", "load", "verdict", "passed"),
            Map.of("executor", "1", "check", "first_batch", "verdict", "passed"));
    String ok =
        SaliencyCli.format(
            new RunSummary(
                "r1",
                "out/",
                "ab",
                4,
                heatmaps,
                Map.of(),
                0,
                4,
                0,
                2.0,
                4.0,
                Map.of(),
                0,
                java.util.List.of(),
                passed));
    assertThat(ok)
        .contains(
            String.format(
                "  engine check           passed (passed 2 checks; batched passes = one-sample passes)%n"));
    java.util.List<Map<String, Object>> fellBack =
        java.util.List.of(
            Map.of("executor", "1", "check", "load", "verdict", "passed"),
            Map.of("executor", "1", "check", "first_batch", "verdict", "one_sample_passes"));
    String warned =
        SaliencyCli.format(
            new RunSummary(
                "r1",
                "out/",
                "ab",
                4,
                heatmaps,
                Map.of(),
                0,
                4,
                0,
                2.0,
                4.0,
                Map.of(),
                3,
                java.util.List.of("file:/in/a.tif", "file:/in/notes.txt"),
                fellBack));
    assertThat(warned)
        .contains(
            String.format(
                "  skipped                3 files not matching --input-glob (e.g. a.tif, notes.txt)%n"));
    assertThat(warned)
        .contains(
            "  engine check           BATCHED PASSES FAILED, one sample per pass on the executors that failed "
                + "(one_sample_passes 1, passed 1 checks; see engine_check in run.json)");
  }

  @Test
  void unknownCommandIsNamed() {
    Result r = run("explain");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo("Cannot run 'explain': unknown command; known: run, visualize (see --help)\n");
  }
}
