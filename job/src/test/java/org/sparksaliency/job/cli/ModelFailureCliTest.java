package org.sparksaliency.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparksaliency.job.image.InputFolder;

/**
 * Broken models through the command line, each a real file: the run exits 1 with one line on stderr
 * naming the model and the cause. A model whose output is NaN for some images does not fail the
 * run: those images are quarantined as non_finite, and the run fails only if they are too many.
 */
class ModelFailureCliTest {
  private static final Path MODELS = Path.of("src/test/resources/models").toAbsolutePath();
  @TempDir static Path dir;
  private static Path images;

  private record Result(int code, String out, String err) {}

  @BeforeAll
  static void images() throws IOException {
    images = dir.resolve("in");
    InputFolder.plain(images.resolve("dark-1.png"), 0x101010);
    InputFolder.plain(images.resolve("dark-2.png"), 0x202830);
    InputFolder.plain(images.resolve("bright-1.png"), 0xF0F0F0);
    InputFolder.plain(images.resolve("bright-2.png"), 0xFFFFE0);
    InputFolder.plain(images.resolve("bright-3.png"), 0xE8F0FF);
  }

  private static Result run(String model, String runId, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--input",
                images.toString(),
                "--model",
                model,
                "--output",
                dir.resolve(runId).toString(),
                "--heatmap-size",
                "8",
                "--master",
                "local[2]",
                "--run-id",
                runId));
    args.addAll(List.of(more));
    if (!args.contains("--image-size")) {
      args.addAll(List.of("--image-size", "16"));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        SaliencyCli.run(
            args.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    // The command stops its Spark; forget the stopped session so later tests start their own.
    SparkSession.getActiveSession()
        .foreach(
            s -> {
              assertThat(s.sparkContext().isStopped()).isTrue();
              return null;
            });
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void missingModelFile() {
    String model = dir.resolve("absent.pt").toString();
    Result r = run(model, "missing");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "Cannot complete run missing: Cannot use model "
                + model
                + ": cannot read the model file (File "
                + model
                + " does not exist)\n");
  }

  @Test
  void fileThatIsNotTorchScript() throws IOException {
    Path model = Files.writeString(dir.resolve("notes.pt"), "not a model, just notes\n");
    Result r = run(model.toString(), "not-torchscript");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith(
            "Cannot complete run not-torchscript: Cannot use model "
                + model
                + ": it is not a loadable TorchScript file (")
        .endsWith(")\n")
        .hasLineCount(1);
  }

  @Test
  void modelThatCannotTakeTheInputSize() {
    String model = MODELS.resolve("fixed_input_16.pt").toString();
    Result r = run(model, "wrong-shape", "--image-size", "32", "--methods", "gradient");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "Cannot complete run wrong-shape: Cannot use model "
                + model
                + ": it fails on a [1, 3, 32, 32] input"
                + " (--image-size 32; methods gradient): RuntimeError: mat1 and mat2 shapes cannot be multiplied"
                + " (1x3072 and 768x3)\n");
  }

  @Test
  void camMethodOnAModelWithoutFeaturesAndHead() {
    String model = MODELS.resolve("no_cam.pt").toString();
    Result r = run(model, "no-cam", "--methods", "gradient,gradcam");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "Cannot complete run no-cam: Cannot use model "
                + model
                + ": --methods gradcam needs the model to export"
                + " features and head (missing: features, head); export them with @torch.jit.export, see"
                + " sample-data/README.md\n");
  }

  @Test
  void nanOutputQuarantinesThoseImagesAndTooManyFailTheRunAfterWriting() {
    String model = MODELS.resolve("nan_when_bright.pt").toString();
    Result r = run(model, "nan");
    Path out = dir.resolve("nan");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "Cannot complete run nan: 3 of 5 input files (60.0%) were quarantined, more than --max-quarantine-ratio"
                + " 0.5; top reasons: non_finite 3 (non_finite: \"the output of model "
                + model
                + " holds NaN or"
                + " infinity for this image\"); every table and run.json were written to "
                + out
                + "\n");
    assertThat(r.out())
        .contains(
            "gradient               2 heatmaps", "quarantined            3 files {non_finite=6}");
    // Tables are written; the NaN images never reach the heatmaps as numbers.
    SparkSession spark = org.sparksaliency.job.run.TestSpark.session(ModelFailureCliTest.class);
    try {
      List<Row> heatmaps = spark.read().parquet(out.resolve("heatmaps").toString()).collectAsList();
      assertThat(heatmaps).hasSize(4);
      for (Row h : heatmaps) {
        assertThat(h.getString(h.fieldIndex("path"))).contains("/dark-");
        for (String c : List.of("heatmap_min", "heatmap_max", "target_score")) {
          assertThat(Float.isFinite(h.getFloat(h.fieldIndex(c)))).as(c).isTrue();
        }
        for (String c : List.of("sal_mean", "sal_entropy", "sal_gini")) {
          assertThat(Double.isFinite(h.getDouble(h.fieldIndex(c)))).as(c).isTrue();
        }
      }
      List<Row> quarantine =
          spark.read().parquet(out.resolve("quarantine").toString()).collectAsList();
      assertThat(quarantine).hasSize(6);
      for (Row q : quarantine) {
        assertThat(q.getString(q.fieldIndex("path"))).contains("/bright-");
        assertThat(q.getString(q.fieldIndex("reason"))).isEqualTo("non_finite");
        assertThat(q.getString(q.fieldIndex("method"))).isIn("gradient", "gradcam");
      }
    } finally {
      org.sparksaliency.job.run.TestSpark.stop(spark);
    }
  }
}
