package org.sparksaliency.job.run;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparksaliency.job.config.JobConfig;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.output.RunSummary;

/**
 * --evaluate and --sanity-check through the whole job on 4 sample images: AUC columns and
 * class_stats means, the sanity tables, and --incremental recomputing rows that lack the AUCs this
 * run asks for (keeping rows that have them is IncrementalOutput's usual path, covered by
 * RerunTest).
 */
class EvaluateJobTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static SparkSession spark;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws IOException {
    spark = TestSpark.session(EvaluateJobTest.class);
    Path in = dir.resolve("in");
    Files.createDirectories(in);
    for (int i = 0; i < 4; i++) {
      String name = String.format("img_%03d.%s", i, i % 2 == 0 ? "jpg" : "png");
      Files.copy(ROOT.resolve("sample-data/images").resolve(name), in.resolve(name));
    }
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  private static JobConfig config(String runId, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--input", dir.resolve("in").toString(),
                "--model", ROOT.resolve("sample-data/model/shapes_cnn.pt").toString(),
                "--labels", ROOT.resolve("sample-data/labels.txt").toString(),
                "--output", dir.resolve("out").toString(),
                "--methods", "gradcam",
                "--image-size", "128",
                "--batch-size", "4",
                "--micro-batch-size", "10",
                "--partitions", "1",
                "--torch-threads", "1",
                "--run-id", runId));
    args.addAll(List.of(more));
    return JobOptions.parse(args.toArray(String[]::new));
  }

  private static List<Row> table(String name, String runId) {
    return spark
        .read()
        .parquet(dir.resolve("out").resolve(name).toString())
        .filter(col("run_id").equalTo(runId))
        .collectAsList();
  }

  @Test
  void aucsSanityTablesAndIncrementalReuse() {
    RunSummary plain = SaliencyJob.run(spark, config("plain"));
    assertThat(plain.imagesExplained()).isEqualTo(4);
    List<Row> plainHeatmaps = table("heatmaps", "plain");
    assertThat(plainHeatmaps).as("4 images, gradcam only").hasSize(4);
    for (Row r : plainHeatmaps) {
      assertThat(r.isNullAt(r.fieldIndex("deletion_auc"))).isTrue();
      assertThat(r.isNullAt(r.fieldIndex("insertion_auc"))).isTrue();
    }

    // The earlier rows lack the AUCs: --incremental explains every image again.
    RunSummary evaluated =
        SaliencyJob.run(
            spark,
            config(
                "evaluated",
                "--incremental",
                "--evaluate",
                "deletion,insertion",
                "--evaluate-steps",
                "2",
                "--sanity-check",
                "--sanity-layers",
                "2",
                "--sanity-images",
                "2"));
    assertThat(evaluated.imagesReused()).isZero();
    assertThat(evaluated.imagesExplained()).isEqualTo(4);
    List<Row> heatmaps = table("heatmaps", "evaluated");
    assertThat(heatmaps).hasSize(4);
    for (Row r : heatmaps) {
      double d = r.getDouble(r.fieldIndex("deletion_auc"));
      double i = r.getDouble(r.fieldIndex("insertion_auc"));
      assertThat(d).isBetween(0.0, 1.0);
      assertThat(i).isBetween(0.0, 1.0);
    }
    // One class_stats row per predicted class; its AUCs are the means over that class's heatmaps.
    List<Row> classStats = table("class_stats", "evaluated");
    assertThat(classStats)
        .hasSize(
            (int)
                heatmaps.stream()
                    .map(r -> r.getInt(r.fieldIndex("target_class")))
                    .distinct()
                    .count());
    assertThat(classStats.stream().mapToLong(r -> r.getLong(r.fieldIndex("n_images"))).sum())
        .isEqualTo(4);
    for (Row r : classStats) {
      int target = r.getInt(r.fieldIndex("target_class"));
      List<Row> members =
          heatmaps.stream().filter(h -> h.getInt(h.fieldIndex("target_class")) == target).toList();
      assertThat(r.getLong(r.fieldIndex("n_images"))).isEqualTo(members.size());
      assertThat(r.getDouble(r.fieldIndex("mean_deletion_auc")))
          .isCloseTo(
              members.stream()
                  .mapToDouble(h -> h.getDouble(h.fieldIndex("deletion_auc")))
                  .average()
                  .orElseThrow(),
              within(1e-12));
      assertThat(r.getDouble(r.fieldIndex("mean_insertion_auc")))
          .isCloseTo(
              members.stream()
                  .mapToDouble(h -> h.getDouble(h.fieldIndex("insertion_auc")))
                  .average()
                  .orElseThrow(),
              within(1e-12));
    }

    // 2 images × 1 method × 2 cascade steps, the head (fc) first.
    List<Row> sanity = table("sanity", "evaluated");
    assertThat(sanity).hasSize(4);
    assertThat(sanity.stream().map(r -> r.getString(r.fieldIndex("path"))).distinct()).hasSize(2);
    for (Row r : sanity) {
      int layers = r.getInt(r.fieldIndex("layers_randomised"));
      assertThat(r.getString(r.fieldIndex("randomised_layer")))
          .isEqualTo(layers == 1 ? "fc" : "body.14");
    }
    List<Row> verdicts = table("sanity_verdicts", "evaluated");
    assertThat(verdicts).hasSize(2);
    for (Row v : verdicts) {
      double meanAbs = v.getDouble(v.fieldIndex("mean_abs_spearman"));
      assertThat(meanAbs).isBetween(0.0, 1.0);
      assertThat(v.getBoolean(v.fieldIndex("pass"))).isEqualTo(meanAbs < 0.5);
      assertThat(v.getLong(v.fieldIndex("n_images"))).isEqualTo(2);
    }
  }

  @Test
  void badEvaluateOptionsFailOnTheDriver() {
    assertThatThrownBy(() -> config("x", "--evaluate", "deletion,pointing"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot use --evaluate: unknown curve 'pointing'; known: deletion, insertion");
    assertThatThrownBy(() -> config("x", "--evaluate", "insertion,insertion"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot use --evaluate: 'insertion' is listed twice");
    assertThat(config("x", "--evaluate", " insertion ").explain().evaluate())
        .satisfies(e -> assertThat(e.insertion() && !e.deletion() && e.steps() == 16).isTrue());
    assertThat(config("x").explain().evaluate().curves()).isFalse();
  }
}
