package org.sparksaliency.job.run;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.output.RunSummary;

/**
 * The whole job on the bundled sample with the sample ViT (sample-data/model/shapes_vit.pt) and its
 * three methods, in a real local[2] Spark. Prints the pointing accuracy of each method.
 */
class SampleVitJobTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final List<String> METHODS =
      List.of("attention_rollout", "grad_rollout", "gradcam");
  private static SparkSession spark;
  private static Path output;
  private static RunSummary summary;
  private static JsonNode pytorch;

  @BeforeAll
  static void runJob() throws IOException {
    spark = TestSpark.session(SampleVitJobTest.class);
    output = Files.createTempDirectory("sample-vit-job").resolve("out");
    pytorch =
        new ObjectMapper().readTree(ROOT.resolve("sample-data/model/shapes_vit.json").toFile());
    summary =
        SaliencyJob.run(
            spark,
            JobOptions.parse(
                "--input", ROOT.resolve("sample-data/images").toString(),
                "--model", ROOT.resolve("sample-data/model/shapes_vit.pt").toString(),
                "--labels", ROOT.resolve("sample-data/labels.txt").toString(),
                "--manifest", ROOT.resolve("sample-data/manifest.csv").toString(),
                "--output", output.toString(),
                "--methods", String.join(",", METHODS),
                "--image-size", "128",
                "--batch-size", "8",
                "--micro-batch-size", "8",
                "--partitions", "2",
                "--run-id", "test-vit"));
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  @Test
  void everyImageGetsOneMapPerMethod() {
    assertThat(summary.inputFiles()).isEqualTo(40);
    assertThat(summary.heatmapsByMethod())
        .containsExactly(
            Map.entry("attention_rollout", 40L),
            Map.entry("grad_rollout", 40L),
            Map.entry("gradcam", 40L));
    assertThat(summary.quarantinedFiles()).isZero();
  }

  @Test
  void pointingAccuracyOfEachMethodIsPrintedAndAgreesWithPyTorch() {
    Row acc =
        spark
            .read()
            .parquet(output.resolve("heatmaps").toString())
            .filter(col("method").equalTo("gradcam"))
            .selectExpr("avg(CAST(label = target_name AS DOUBLE))")
            .first();
    System.out.printf("sample ViT: accuracy %.3f%n", acc.getDouble(0));
    assertThat(summary.pointingByMethod()).containsOnlyKeys(METHODS);
    for (String m : METHODS) {
      double java = summary.pointingByMethod().get(m);
      double torch = pytorch.at("/pointing_predicted_class/" + m).asDouble();
      System.out.printf(
          "sample ViT %-18s pointing accuracy %.3f (PyTorch, make_sample_vit.py: %.3f)%n",
          m, java, torch);
      // The job finds the peak on the 56 x 56 stored grid and decodes JPEGs with ImageIO; PyTorch
      // takes the
      // peak at 128 x 128 of PIL-decoded images: a peak near a box edge may fall on either side, so
      // allow two
      // of the 40 images.
      assertThat(java)
          .as("pointing accuracy of %s", m)
          .isCloseTo(torch, org.assertj.core.data.Offset.offset(0.051));
    }
    assertThat(acc.getDouble(0)).isEqualTo(pytorch.get("sample_accuracy").asDouble());
  }

  @Test
  void runJsonRecordsTheRolloutOptionsAndPointing() throws IOException {
    JsonNode run = new ObjectMapper().readTree(output.resolve("runs/test-vit/run.json").toFile());
    assertThat(run.at("/config/rollout_head_fusion").asText()).isEqualTo("mean");
    assertThat(run.at("/config/rollout_discard").asDouble()).isZero();
    for (String m : METHODS) {
      assertThat(run.at("/counts/pointing_accuracy_by_method/" + m).asDouble())
          .isEqualTo(summary.pointingByMethod().get(m));
    }
  }
}
