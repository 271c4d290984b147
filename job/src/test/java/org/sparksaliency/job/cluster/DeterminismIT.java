package org.sparksaliency.job.cluster;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparksaliency.job.run.TestSpark;

/**
 * The same command, run three times as a user runs it ({@code bin/saliency run}, a new JVM each
 * time, local[2], two torch threads, micro-batches that split images across passes), writes
 * byte-identical tables for every CNN method: heatmap bytes, min, max, every statistic and the
 * class_stats rows. Only created_at differs.
 */
class DeterminismIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final List<String> METHODS =
      List.of(
          "gradient",
          "gradcam",
          "input_x_gradient",
          "integrated_gradients",
          "smoothgrad",
          "smoothgrad_sq",
          "vargrad",
          "gradcam_pp",
          "occlusion",
          "rise",
          "gradient_shap");
  private static final int IMAGES = 6;
  private static final int RUNS = 3;

  @TempDir static Path work;
  private static SparkSession spark;
  private static final List<Path> outputs = new ArrayList<>();

  @BeforeAll
  static void runThreeTimes() throws IOException, InterruptedException {
    for (int i = 1; i <= RUNS; i++) {
      Path out = work.resolve("out-" + i);
      Path log = work.resolve("run-" + i + ".log");
      ProcessBuilder pb =
          new ProcessBuilder(
                  "bash",
                  ROOT.resolve("bin/saliency").toString(),
                  "run",
                  "--input",
                  ROOT.resolve("sample-data/images").toString(),
                  "--input-glob",
                  "img_00[0-5].*",
                  "--model",
                  ROOT.resolve("sample-data/model/shapes_cnn.pt").toString(),
                  "--manifest",
                  ROOT.resolve("sample-data/manifest.csv").toString(),
                  "--output",
                  out.toString(),
                  "--run-id",
                  "same",
                  "--master",
                  "local[2]",
                  "--torch-threads",
                  "2",
                  "--image-size",
                  "64",
                  "--heatmap-size",
                  "32",
                  "--batch-size",
                  "4",
                  "--micro-batch-size",
                  "3",
                  "--methods",
                  String.join(",", METHODS),
                  "--seed",
                  "5",
                  "--ig-steps",
                  "8",
                  "--smoothgrad-samples",
                  "4",
                  "--occlusion-window",
                  "16",
                  "--occlusion-stride",
                  "8",
                  "--gradient-shap-samples",
                  "6",
                  "--rise-masks",
                  "40",
                  "--quiet")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().put("SALIENCY_JAVA_OPTS", "-Xmx1g -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
      Process p = pb.start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError(
            "run " + i + " took over 5 minutes: " + Files.readString(log, StandardCharsets.UTF_8));
      }
      assertThat(p.exitValue())
          .as("exit code of run %d; log:%n%s", i, Files.readString(log, StandardCharsets.UTF_8))
          .isZero();
      outputs.add(out);
    }
    spark = TestSpark.session(DeterminismIT.class);
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      TestSpark.stop(spark);
    }
  }

  /**
   * A table's rows without created_at, in a stable order, each as its values' text (byte arrays by
   * content).
   */
  private static List<String> rows(Path out, String table, String... order) {
    org.apache.spark.sql.Dataset<Row> d =
        spark.read().parquet(out.resolve(table).toString()).drop("created_at");
    List<String> rows = new ArrayList<>();
    for (Row r :
        d.orderBy(Arrays.stream(order).map(c -> col(c)).toArray(org.apache.spark.sql.Column[]::new))
            .collectAsList()) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        Object v = r.get(i);
        sb.append(r.schema().fields()[i].name())
            .append('=')
            .append(v instanceof byte[] b ? Arrays.toString(b) : String.valueOf(v))
            .append(';');
      }
      rows.add(sb.toString());
    }
    return rows;
  }

  @Test
  void everyMethodsHeatmapsAreByteIdenticalAcrossRuns() {
    List<String> first = rows(outputs.get(0), "heatmaps", "path", "method");
    assertThat(first).hasSize(IMAGES * METHODS.size());
    for (String method : METHODS) {
      assertThat(first)
          .as(method)
          .filteredOn(r -> r.contains(";method=" + method + ";"))
          .hasSize(IMAGES);
    }
    for (int i = 1; i < RUNS; i++) {
      List<String> again = rows(outputs.get(i), "heatmaps", "path", "method");
      for (int k = 0; k < first.size(); k++) {
        assertThat(again.get(k)).as("run %d, row %d", i + 1, k).isEqualTo(first.get(k));
      }
      assertThat(again).hasSameSizeAs(first);
    }
  }

  @Test
  void classStatsAndQuarantineAreIdenticalAcrossRuns() {
    List<String> stats = rows(outputs.get(0), "class_stats", "method", "target_class");
    assertThat(stats).isNotEmpty();
    assertThat(rows(outputs.get(0), "quarantine", "path")).isEmpty();
    for (int i = 1; i < RUNS; i++) {
      assertThat(rows(outputs.get(i), "class_stats", "method", "target_class")).isEqualTo(stats);
      assertThat(rows(outputs.get(i), "quarantine", "path")).isEmpty();
    }
  }

  @Test
  void everyRunRecordsAPassedEngineCheck() throws IOException {
    assertThat(outputs).hasSize(RUNS);
    for (Path out : outputs) {
      JsonNode engine =
          new ObjectMapper()
              .readTree(out.resolve("runs/same/run.json").toFile())
              .get("engine_check");
      // local[2] has one executor: the load check and the run's first-batch check.
      assertThat(engine.get("checks"))
          .extracting(c -> c.get("check").asText())
          .containsExactlyInAnyOrder("load", "first_batch");
      for (JsonNode c : engine.get("checks")) {
        assertThat(c.get("verdict").asText()).as("%s", c).isEqualTo("passed");
        assertThat(c.get("threads").asInt()).isEqualTo(2);
      }
    }
  }
}
