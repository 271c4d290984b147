package org.sparksaliency.job.run;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparksaliency.job.config.JobConfig;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.image.InputFolder;
import org.sparksaliency.job.output.RunSummary;

/**
 * Reruns: a rerun of a run id gives the same bytes and replaces that run's output; --incremental
 * keeps the heatmaps earlier runs computed and explains only new and changed images.
 */
class RerunTest {
  private static SparkSession spark;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws IOException {
    spark = TestSpark.session(RerunTest.class);
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  /**
   * The test's options; {@code more} adds flags ("--incremental") or replaces values
   * ("--heatmap-size", "4").
   */
  static JobConfig config(Path in, Path out, String runId, String... more) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("input", in.toString());
    options.put("model", BadInputJobTest.MODEL.toString());
    options.put("output", out.toString());
    options.put("methods", "gradient,gradcam");
    options.put("image-size", "16");
    options.put("heatmap-size", "8");
    options.put("batch-size", "4");
    options.put("partitions", "3");
    options.put("run-id", runId);
    for (int i = 0; i < more.length; i++) {
      boolean flag = i + 1 == more.length || more[i + 1].startsWith("--");
      options.put(more[i].substring(2), flag ? "true" : more[++i]);
    }
    List<String> args = new ArrayList<>();
    options.forEach((k, v) -> args.add("--" + k + "=" + v));
    return JobOptions.parse(args.toArray(String[]::new));
  }

  /** One run's heatmaps by "path|method"; fails on a second row for a key. */
  private static Map<String, Row> heatmaps(Path out, String runId) {
    Map<String, Row> rows = new HashMap<>();
    for (Row r :
        spark
            .read()
            .parquet(out.resolve("heatmaps").toString())
            .filter(col("run_id").equalTo(runId))
            .collectAsList()) {
      String key = r.getString(r.fieldIndex("path")) + "|" + r.getString(r.fieldIndex("method"));
      assertThat(rows.put(key, r)).as("a second row for %s", key).isNull();
    }
    return rows;
  }

  private static long classStatsImages(Path out, String runId, String method) {
    return spark
        .read()
        .parquet(out.resolve("class_stats").toString())
        .filter(col("run_id").equalTo(runId).and(col("method").equalTo(method)))
        .selectExpr("sum(n_images)")
        .first()
        .getLong(0);
  }

  private static Timestamp createdAt(Row r) {
    return r.getTimestamp(r.fieldIndex("created_at"));
  }

  private static String path(Path file) {
    return new org.apache.hadoop.fs.Path("file:" + file).toString();
  }

  @Test
  void rerunOfARunIdGivesBitIdenticalHeatmapsAndReplacesItsOutput() throws IOException {
    Path in = dir.resolve("same-in");
    InputFolder.scenes(in, 12, 1);
    Path out = dir.resolve("same-out");
    SaliencyJob.run(spark, config(in, out, "nightly"));
    Map<String, Row> first = heatmaps(out, "nightly");
    SaliencyJob.run(spark, config(in, out, "nightly"));
    Map<String, Row> second = heatmaps(out, "nightly");
    assertThat(spark.read().parquet(out.resolve("heatmaps").toString()).count())
        .as("rows in the table")
        .isEqualTo(24);
    assertThat(second).hasSize(24).containsOnlyKeys(first.keySet());
    for (Map.Entry<String, Row> e : second.entrySet()) {
      Row a = first.get(e.getKey());
      Row b = e.getValue();
      assertThat(createdAt(b)).as("the second run wrote %s", e.getKey()).isAfter(createdAt(a));
      assertThat((byte[]) b.get(b.fieldIndex("heatmap")))
          .as("heatmap of %s", e.getKey())
          .isEqualTo(a.get(a.fieldIndex("heatmap")));
      assertThat(b.getFloat(b.fieldIndex("heatmap_min")))
          .isEqualTo(a.getFloat(a.fieldIndex("heatmap_min")));
      assertThat(b.getFloat(b.fieldIndex("heatmap_max")))
          .isEqualTo(a.getFloat(a.fieldIndex("heatmap_max")));
      assertThat(b.getDouble(b.fieldIndex("sal_entropy")))
          .isEqualTo(a.getDouble(a.fieldIndex("sal_entropy")));
    }
    assertThat(
            spark
                .read()
                .parquet(out.resolve("class_stats").toString())
                .filter(col("method").equalTo("gradcam"))
                .selectExpr("sum(n_images)")
                .first()
                .getLong(0))
        .isEqualTo(12);
  }

  @Test
  void incrementalRunExplainsOnlyNewAndChangedImages() throws IOException {
    Path in = dir.resolve("inc-in");
    Path out = dir.resolve("inc-out");
    List<Path> firstTwenty = InputFolder.scenes(in, 20, 100);

    RunSummary s1 = SaliencyJob.run(spark, config(in, out, "inc-1", "--incremental"));
    assertThat(s1.imagesExplained()).isEqualTo(20);
    assertThat(s1.imagesReused()).isZero();
    Map<String, Row> run1 = heatmaps(out, "inc-1");

    // Ten new images: only they go through the model; the twenty of the first run are copied as
    // computed then.
    InputFolder.scenes(in, 10, 200);
    RunSummary s2 = SaliencyJob.run(spark, config(in, out, "inc-2", "--incremental"));
    assertThat(s2.imagesExplained()).isEqualTo(10);
    assertThat(s2.imagesReused()).isEqualTo(20);
    assertThat(s2.heatmapsByMethod()).containsEntry("gradient", 30L).containsEntry("gradcam", 30L);
    Map<String, Row> run2 = heatmaps(out, "inc-2");
    assertThat(run2).hasSize(60).containsKeys(run1.keySet().toArray(String[]::new));
    for (Map.Entry<String, Row> e : run2.entrySet()) {
      Row earlier = run1.get(e.getKey());
      if (earlier != null) {
        assertThat(createdAt(e.getValue())).as("kept %s", e.getKey()).isEqualTo(createdAt(earlier));
        assertThat((byte[]) e.getValue().get(e.getValue().fieldIndex("heatmap")))
            .isEqualTo(earlier.get(earlier.fieldIndex("heatmap")));
      } else {
        assertThat(createdAt(e.getValue()))
            .as("new %s", e.getKey())
            .isAfter(createdAt(run1.values().iterator().next()));
      }
    }
    assertThat(classStatsImages(out, "inc-2", "gradient")).isEqualTo(30);
    assertThat(classStatsImages(out, "inc-2", "gradcam")).isEqualTo(30);

    // One file replaced by other bytes, one deleted: the run's snapshot has neither stale row.
    Path changed = firstTwenty.get(3);
    Path deleted = firstTwenty.get(7);
    Files.copy(firstTwenty.get(0), changed, StandardCopyOption.REPLACE_EXISTING);
    Files.delete(deleted);
    RunSummary s3 = SaliencyJob.run(spark, config(in, out, "inc-3", "--incremental"));
    assertThat(s3.imagesExplained()).isEqualTo(1);
    assertThat(s3.imagesReused()).isEqualTo(28);
    Map<String, Row> run3 = heatmaps(out, "inc-3");
    assertThat(run3)
        .hasSize(58)
        .doesNotContainKeys(path(deleted) + "|gradient", path(deleted) + "|gradcam");
    Row redone = run3.get(path(changed) + "|gradient");
    assertThat(redone.getString(redone.fieldIndex("image_id")))
        .isNotEqualTo(
            run1.get(path(changed) + "|gradient").getString(redone.fieldIndex("image_id")));
    assertThat(createdAt(redone)).isAfter(createdAt(run2.get(path(changed) + "|gradient")));
    assertThat(
            run3.entrySet().stream()
                .filter(
                    e ->
                        run1.containsKey(e.getKey())
                            && createdAt(e.getValue()).equals(createdAt(run1.get(e.getKey()))))
                .count())
        .as("rows still from the first run")
        .isEqualTo(36);
    assertThat(classStatsImages(out, "inc-3", "gradcam")).isEqualTo(29);

    // Other method parameters: nothing can be kept.
    RunSummary s4 =
        SaliencyJob.run(spark, config(in, out, "inc-4", "--incremental", "--heatmap-size", "4"));
    assertThat(s4.imagesExplained()).isEqualTo(29);
    assertThat(s4.imagesReused()).isZero();
    Map<String, Row> run4 = heatmaps(out, "inc-4");
    assertThat(run4).hasSize(58);
    assertThat(run4.values())
        .allSatisfy(
            r ->
                assertThat(r.getString(r.fieldIndex("method_params")))
                    .isEqualTo(
                        "heatmap_size=4;image_size=16;mean=0.485,0.456,0.406;resize=squash;"
                            + "std=0.229,0.224,0.225;target=predicted;"
                            + "engine_check=passed"));
    // A method added: the kept heatmaps are copied, and every image still goes through the model
    // for the new method (explained, not reused).
    RunSummary s5 =
        SaliencyJob.run(
            spark,
            config(
                in,
                out,
                "inc-5",
                "--incremental",
                "--heatmap-size",
                "4",
                "--methods",
                "gradient,gradcam,input_x_gradient"));
    assertThat(s5.imagesExplained()).isEqualTo(29);
    assertThat(s5.imagesReused()).isZero();
    assertThat(s5.heatmapsByMethod())
        .containsExactly(
            Map.entry("gradient", 29L),
            Map.entry("gradcam", 29L),
            Map.entry("input_x_gradient", 29L));
    assertThat(
            heatmaps(out, "inc-5").entrySet().stream()
                .filter(e -> !e.getKey().endsWith("|input_x_gradient"))
                .allMatch(e -> createdAt(e.getValue()).equals(createdAt(run4.get(e.getKey())))))
        .as("gradient and gradcam rows kept from inc-4")
        .isTrue();
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .containsExactlyInAnyOrder("heatmaps", "quarantine", "class_stats", "runs");
    }
  }
}
