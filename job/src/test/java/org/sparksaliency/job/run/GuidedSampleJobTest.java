package org.sparksaliency.job.run;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.output.RunSummary;

/**
 * The job on the bundled sample with the guided export of the sample model: both guided methods and
 * {@code --layer-stats}, in a real local[2] Spark.
 */
class GuidedSampleJobTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** The first ten sample images keep the test short; SampleJobTest runs all 40. */
  private static final long IMAGES = 10;

  private static SparkSession spark;
  private static Path output;
  private static RunSummary summary;

  @BeforeAll
  static void runJob() throws IOException {
    spark = TestSpark.session(GuidedSampleJobTest.class);
    output = Files.createTempDirectory("guided-job").resolve("out");
    summary =
        SaliencyJob.run(
            spark,
            JobOptions.parse(
                "--input",
                ROOT.resolve("sample-data/images").toString(),
                "--input-glob",
                "img_00[0-9].*",
                "--model",
                ROOT.resolve("sample-data/model/shapes_cnn_guided.pt").toString(),
                "--labels",
                ROOT.resolve("sample-data/labels.txt").toString(),
                "--manifest",
                ROOT.resolve("sample-data/manifest.csv").toString(),
                "--output",
                output.toString(),
                "--methods",
                "guided_backprop,guided_gradcam",
                "--image-size",
                "128",
                "--batch-size",
                "4",
                "--micro-batch-size",
                "3",
                "--partitions",
                "2",
                "--layer-stats",
                // One intra-op thread: on a shared 2-core machine OpenMP threads that wait for a
                // busy core
                // made each model call 20 times slower (measured), and one thread loses little
                // here.
                "--torch-threads",
                "1",
                "--run-id",
                "guided"));
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  private static Dataset<Row> table(String name) {
    return spark.read().parquet(output.resolve(name).toString());
  }

  @Test
  void bothGuidedMethodsExplainEveryImage() {
    assertThat(summary.heatmapsByMethod())
        .containsExactly(Map.entry("guided_backprop", IMAGES), Map.entry("guided_gradcam", IMAGES));
    assertThat(summary.quarantinedFiles()).isZero();
  }

  @Test
  void guidedGradcamPointsAtTheObject() {
    Row r =
        table("heatmaps")
            .filter(col("method").equalTo("guided_gradcam"))
            .selectExpr("avg(CAST(pointing_hit AS DOUBLE))", "avg(box_mass)", "min(heatmap_max)")
            .first();
    System.out.printf(
        "sample guided_gradcam: pointing accuracy %.3f, mean box mass %.3f%n",
        r.getDouble(0), r.getDouble(1));
    // Chance is 0.21 on this sample (see SampleJobTest); Grad-CAM alone reaches 0.8 or more.
    assertThat(r.getDouble(0)).isGreaterThanOrEqualTo(0.7);
    assertThat(r.getFloat(2)).isGreaterThan(0f);
  }

  @Test
  void layerStatsCoverEveryLayerForEveryPredictedClass() {
    Dataset<Row> stats = table("layer_stats");
    assertThat(stats.columns())
        .containsExactly(
            "predicted_class",
            "predicted_name",
            "layer_index",
            "layer",
            "n_images",
            "mean_abs_weight_grad",
            "std_abs_weight_grad",
            "activation_mean",
            "activation_zero_fraction",
            "model_id",
            "run_id");
    // The sample model has 5 conv + 5 batch-norm layers and the linear head.
    assertThat(stats.select("layer").distinct().count()).isEqualTo(11);
    Map<Integer, Long> predicted = new HashMap<>();
    for (Row r :
        table("heatmaps")
            .filter(col("method").equalTo("guided_backprop"))
            .groupBy("target_class")
            .count()
            .collectAsList()) {
      predicted.put(r.getInt(0), r.getLong(1));
    }
    assertThat(predicted.values().stream().mapToLong(Long::longValue).sum())
        .as("images over the predicted classes")
        .isEqualTo(IMAGES);
    List<Row> firstLayer = stats.filter(col("layer_index").equalTo(0)).collectAsList();
    assertThat(firstLayer).hasSize(predicted.size());
    for (Row r : firstLayer) {
      assertThat(r.getLong(r.fieldIndex("n_images"))).isEqualTo(predicted.get(r.getInt(0)));
      assertThat(r.getString(r.fieldIndex("predicted_name")))
          .isIn("circle", "square", "triangle", "cross");
    }
  }

  @Test
  void batchNormOutputsAreReluOutputsAndEveryWeightGetsGradient() {
    List<Row> rows = table("layer_stats").orderBy("predicted_class", "layer_index").collectAsList();
    // Every predicted class has a row for each of the 11 layers, in order.
    Map<Integer, List<Integer>> layersByClass = new java.util.TreeMap<>();
    for (Row r : rows) {
      layersByClass
          .computeIfAbsent(r.getInt(0), k -> new java.util.ArrayList<>())
          .add(r.getInt(r.fieldIndex("layer_index")));
    }
    assertThat(layersByClass).isNotEmpty();
    assertThat(layersByClass.values())
        .allSatisfy(l -> assertThat(l).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
    for (Row r : rows.subList(0, 11)) {
      System.out.printf(
          "layer_stats %s %2d %-20s n=%d mean|dW|=%.3e act_mean=%.4f zero_fraction=%.3f%n",
          r.getString(1),
          r.getInt(2),
          r.getString(3),
          r.getLong(4),
          r.getDouble(5),
          r.getDouble(7),
          r.getDouble(8));
    }
    for (Row r : rows) {
      String layer = r.getString(r.fieldIndex("layer"));
      double zeros = r.getDouble(r.fieldIndex("activation_zero_fraction"));
      assertThat(r.getDouble(r.fieldIndex("mean_abs_weight_grad"))).as(layer).isGreaterThan(0.0);
      assertThat(zeros).as(layer).isBetween(0.0, 1.0);
      // Weights in parameter order: conv, batch norm, ... (5 times), then the linear head (index
      // 10). Each
      // batch norm is followed by a ReLU, so its reported activation has zeros; conv outputs have
      // none.
      int index = r.getInt(r.fieldIndex("layer_index"));
      if (index < 10 && index % 2 == 1) {
        assertThat(zeros).as(layer).isBetween(0.05, 0.99);
      } else if (index < 10) {
        assertThat(zeros).as(layer).isLessThan(0.01);
      }
    }
  }
}
