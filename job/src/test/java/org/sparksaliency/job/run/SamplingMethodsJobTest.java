package org.sparksaliency.job.run;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
import org.sparksaliency.job.output.RunSummary;

/**
 * Every CNN method (all ten but the vision-transformer rollouts) through the whole job in local
 * Spark, on three sample images with few samples per method: rows per method, the ig_delta column,
 * and signs kept in the stored heatmaps.
 */
class SamplingMethodsJobTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final List<String> SIGNED =
      List.of("input_x_gradient", "integrated_gradients", "occlusion", "gradient_shap");

  /** Every method a CNN with features/head can run (the rollouts need a vision transformer). */
  private static final List<String> CNN_METHODS =
      MethodRegistry.names().stream()
          .filter(
              n ->
                  List.of("features", "head")
                      .containsAll(MethodRegistry.create(n).requiredModelMethods()))
          .toList();

  private static SparkSession spark;
  private static RunSummary summary;
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
    // img_000..img_002, each once per method.
    assertThat(rows).hasSize(3 * CNN_METHODS.size());
    assertThat(rows).filteredOn(r -> r.getString(0).equals("integrated_gradients")).hasSize(3);
    for (Row r : rows) {
      if (r.getString(0).equals("integrated_gradients")) {
        assertThat(r.isNullAt(1)).isFalse();
        // sum(attribution) = sal_mean × 128², so |f(x) − f(b)| = |sum − delta|; 16 steps keep the
        // error small.
        double sum = r.getDouble(2) * 128 * 128;
        double delta = r.getDouble(1);
        assertThat(Math.abs(delta) / Math.abs(sum - delta)).isLessThan(0.05);
      } else {
        assertThat(r.isNullAt(1)).as(r.getString(0)).isTrue();
      }
    }
  }

  /**
   * At --smoothgrad-sigma 0 vargrad is 0 everywhere: the job stores it as a flat heatmap row (no
   * quarantine), and smoothgrad and smoothgrad_sq store the gradient's map and its square (heatmap
   * size = image size, so no resampling mixes squares with squared means). Runs a second, small job
   * in this class's session.
   */
  @Test
  void withoutNoiseVargradIsAnAllZeroHeatmapRowAndSmoothGradTheGradient() throws IOException {
    Path out = Files.createTempDirectory("sampling-job-sigma0").resolve("out");
    RunSummary s =
        SaliencyJob.run(
            spark,
            JobOptions.parse(
                "--input", ROOT.resolve("sample-data/images").toString(),
                "--input-glob", "img_000.*",
                "--model", ROOT.resolve("sample-data/model/shapes_cnn.pt").toString(),
                "--manifest", ROOT.resolve("sample-data/manifest.csv").toString(),
                "--output", out.toString(),
                "--methods", "gradient,smoothgrad,smoothgrad_sq,vargrad",
                "--image-size", "64",
                "--heatmap-size", "64",
                "--smoothgrad-sigma", "0",
                "--smoothgrad-samples", "3",
                "--partitions", "1",
                "--run-id", "sigma0"));
    assertThat(s.quarantinedFiles()).isZero();
    assertThat(s.heatmapsByMethod())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("gradient", 1L, "smoothgrad", 1L, "smoothgrad_sq", 1L, "vargrad", 1L));
    Map<String, Row> rows =
        spark.read().parquet(out.resolve("heatmaps").toString()).collectAsList().stream()
            .collect(Collectors.toMap(r -> r.getString(r.fieldIndex("method")), r -> r));
    Row vargrad = rows.get("vargrad");
    assertThat(vargrad.getFloat(vargrad.fieldIndex("heatmap_min"))).isZero();
    assertThat(vargrad.getFloat(vargrad.fieldIndex("heatmap_max"))).isZero();
    assertThat((byte[]) vargrad.get(vargrad.fieldIndex("heatmap")))
        .hasSize(64 * 64)
        .containsOnly((byte) 0);
    assertThat(vargrad.getDouble(vargrad.fieldIndex("sal_mean"))).isZero();
    assertThat(vargrad.getDouble(vargrad.fieldIndex("sal_entropy"))).isEqualTo(1.0);
    assertThat(vargrad.getDouble(vargrad.fieldIndex("sal_gini"))).isZero();
    // A flat map's share of the manifest box (143, 92)-(192, 141): its share of the image area.
    double boxShare =
        49.0
            / vargrad.getInt(vargrad.fieldIndex("width"))
            * 49.0
            / vargrad.getInt(vargrad.fieldIndex("height"));
    assertThat(vargrad.getDouble(vargrad.fieldIndex("box_mass"))).isCloseTo(boxShare, within(1e-9));
    assertThat(vargrad.isNullAt(vargrad.fieldIndex("pointing_hit"))).isTrue();

    Row gradient = rows.get("gradient");
    Row smoothgrad = rows.get("smoothgrad");
    Row square = rows.get("smoothgrad_sq");
    assertThat(gradient.isNullAt(gradient.fieldIndex("pointing_hit"))).isFalse();
    float max = gradient.getFloat(gradient.fieldIndex("heatmap_max"));
    assertThat(max).isGreaterThan(0f);
    assertThat(smoothgrad.getFloat(smoothgrad.fieldIndex("heatmap_max")))
        .isCloseTo(max, within(1e-6f * max));
    assertThat((byte[]) smoothgrad.get(smoothgrad.fieldIndex("heatmap")))
        .containsExactly((byte[]) gradient.get(gradient.fieldIndex("heatmap")));
    assertThat((double) square.getFloat(square.fieldIndex("heatmap_max")))
        .isCloseTo((double) max * max, within(1e-6 * max * max));
  }

  @Test
  void signedMethodsKeepNegativeValuesAndTheOthersHaveNone() {
    List<Row> mins =
        heatmaps
            .groupBy("method")
            .agg(org.apache.spark.sql.functions.min(col("heatmap_min")))
            .collectAsList();
    assertThat(mins).hasSize(CNN_METHODS.size()).hasSize(17);
    for (Row r : mins) {
      if (SIGNED.contains(r.getString(0))) {
        assertThat(r.getFloat(1)).as(r.getString(0)).isNegative();
      } else {
        assertThat(r.getFloat(1)).as(r.getString(0)).isGreaterThanOrEqualTo(0f);
      }
    }
  }
}
