package org.sparksaliency.job.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.method.MethodRegistry;

/**
 * Every CNN method (all ten but the vision-transformer rollouts) through the whole job in local Spark, on three sample images with few samples per method:
 * rows per method, the ig_delta column, and signs kept in the stored heatmaps.
 */
class SamplingMethodsJobTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final List<String> SIGNED = List.of("input_x_gradient", "integrated_gradients", "occlusion");
  /** Every method a CNN with features/head can run (the rollouts need a vision transformer). */
  private static final List<String> CNN_METHODS =
      MethodRegistry.names().stream()
          .filter(n -> List.of("features", "head").containsAll(MethodRegistry.create(n).requiredModelMethods()))
          .toList();
  private static SparkSession spark;
  private static SaliencyJob.Summary summary;
  private static Dataset<Row> heatmaps;

  @BeforeAll
  static void runJob() throws IOException {
    spark = TestSpark.session(SamplingMethodsJobTest.class);
    Path out = Files.createTempDirectory("sampling-job").resolve("out");
    summary =
        SaliencyJob.run(
            spark,
            JobOptions.parse(
                "--input", ROOT.resolve("sample-data/images").toString(),
                "--input-glob", "img_00[0-2].*",
                "--model", ROOT.resolve("sample-data/model/shapes_cnn.pt").toString(),
                "--labels", ROOT.resolve("sample-data/labels.txt").toString(),
                "--manifest", ROOT.resolve("sample-data/manifest.csv").toString(),
                "--output", out.toString(),
                "--methods", String.join(",", CNN_METHODS),
                "--image-size", "128",
                "--batch-size", "3",
                "--micro-batch-size", "16",
                "--ig-steps", "16",
                "--smoothgrad-samples", "3",
                "--occlusion-window", "64",
                "--occlusion-stride", "64",
                "--rise-masks", "16",
                "--partitions", "1",
                "--run-id", "sampling"));
    heatmaps = spark.read().parquet(out.resolve("heatmaps").toString()).cache();
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  @Test
  void everyMethodGivesEveryImageAHeatmap() {
    Map<String, Long> expected = CNN_METHODS.stream().collect(Collectors.toMap(m -> m, m -> 3L));
    assertThat(summary.heatmapsByMethod()).containsExactlyInAnyOrderEntriesOf(expected);
    assertThat(summary.quarantinedFiles()).isZero();
  }

  @Test
  void igDeltaIsSetForIntegratedGradientsOnly() {
    List<Row> rows = heatmaps.select("method", "ig_delta", "sal_mean").collectAsList();
    for (Row r : rows) {
      if (r.getString(0).equals("integrated_gradients")) {
        assertThat(r.isNullAt(1)).isFalse();
        // sum(attribution) = sal_mean × 128², so |f(x) − f(b)| = |sum − delta|; 16 steps keep the error small.
        double sum = r.getDouble(2) * 128 * 128;
        double delta = r.getDouble(1);
        assertThat(Math.abs(delta) / Math.abs(sum - delta)).isLessThan(0.05);
      } else {
        assertThat(r.isNullAt(1)).as(r.getString(0)).isTrue();
      }
    }
  }

  @Test
  void signedMethodsKeepNegativeValuesAndTheOthersHaveNone() {
    List<Row> mins =
        heatmaps.groupBy("method").agg(org.apache.spark.sql.functions.min(col("heatmap_min"))).collectAsList();
    assertThat(mins).hasSize(10);
    for (Row r : mins) {
      if (SIGNED.contains(r.getString(0))) {
        assertThat(r.getFloat(1)).as(r.getString(0)).isNegative();
      } else {
        assertThat(r.getFloat(1)).as(r.getString(0)).isGreaterThanOrEqualTo(0f);
      }
    }
  }
}
