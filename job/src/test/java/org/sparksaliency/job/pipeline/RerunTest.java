package org.sparksaliency.job.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.config.JobConfig;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.image.InputFolder;

/** Reruns: the same input twice gives the same bytes and replaces the output; --incremental adds only new work. */
class RerunTest {
  private static SparkSession spark;
  private static Path dir;

  @BeforeAll
  static void start() throws IOException {
    spark = TestSpark.session(RerunTest.class);
    dir = Files.createTempDirectory("rerun");
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  /** The test's options; {@code more} adds flags ("--incremental") or replaces values ("--heatmap-size", "4"). */
  static JobConfig config(Path in, Path out, String runId, String... more) {
    Map<String, String> options = new java.util.LinkedHashMap<>();
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

  /** The heatmaps table by "path|method"; fails on a second row for a key. */
  private static Map<String, Row> heatmaps(Path out) {
    Map<String, Row> rows = new HashMap<>();
    for (Row r : spark.read().parquet(out.resolve("heatmaps").toString()).collectAsList()) {
      String key = r.getString(r.fieldIndex("path")) + "|" + r.getString(r.fieldIndex("method"));
      assertThat(rows.put(key, r)).as("a second row for %s", key).isNull();
    }
    return rows;
  }

  private static long classStatsImages(Path out, String method) {
    return spark.read().parquet(out.resolve("class_stats").toString())
        .filter(col("method").equalTo(method))
        .selectExpr("sum(n_images)")
        .first()
        .getLong(0);
  }

  private static String runIdOf(Row r) {
    return r.getString(r.fieldIndex("run_id"));
  }

  @Test
  void sameInputTwiceGivesBitIdenticalHeatmapsAndReplacesTheFirstOutput() throws IOException {
    Path in = dir.resolve("same-in");
    InputFolder.scenes(in, 12, 1);
    Path out = dir.resolve("same-out");
    SaliencyJob.run(spark, config(in, out, "first"));
    Map<String, Row> first = heatmaps(out);
    SaliencyJob.run(spark, config(in, out, "second"));
    Map<String, Row> second = heatmaps(out);
    assertThat(second).hasSize(24).containsOnlyKeys(first.keySet());
    for (Map.Entry<String, Row> e : second.entrySet()) {
      Row a = first.get(e.getKey());
      Row b = e.getValue();
      assertThat(runIdOf(b)).isEqualTo("second");
      assertThat((byte[]) b.get(b.fieldIndex("heatmap"))).as("heatmap of %s", e.getKey()).isEqualTo(a.get(a.fieldIndex("heatmap")));
      assertThat(b.getFloat(b.fieldIndex("heatmap_min"))).isEqualTo(a.getFloat(a.fieldIndex("heatmap_min")));
      assertThat(b.getFloat(b.fieldIndex("heatmap_max"))).isEqualTo(a.getFloat(a.fieldIndex("heatmap_max")));
      assertThat(b.getDouble(b.fieldIndex("sal_entropy"))).isEqualTo(a.getDouble(a.fieldIndex("sal_entropy")));
    }
    assertThat(classStatsImages(out, "gradcam")).isEqualTo(12);
    assertThat(spark.read().parquet(out.resolve("class_stats").toString()).filter(col("run_id").notEqual("second")).count()).isZero();
  }

  @Test
  void incrementalRunExplainsOnlyNewAndChangedImages() throws IOException {
    Path in = dir.resolve("inc-in");
    Path out = dir.resolve("inc-out");
    List<Path> firstTwenty = InputFolder.scenes(in, 20, 100);

    SaliencyJob.Summary s1 = SaliencyJob.run(spark, config(in, out, "inc-1", "--incremental"));
    assertThat(s1.imagesExplained()).isEqualTo(20);
    assertThat(s1.imagesReused()).isZero();
    Map<String, Row> before = heatmaps(out);

    // Ten new images: only they go through the model; the twenty rows of the first run stay as written.
    InputFolder.scenes(in, 10, 200);
    SaliencyJob.Summary s2 = SaliencyJob.run(spark, config(in, out, "inc-2", "--incremental"));
    assertThat(s2.imagesExplained()).isEqualTo(10);
    assertThat(s2.imagesReused()).isEqualTo(20);
    assertThat(s2.heatmapsByMethod()).containsEntry("gradient", 30L).containsEntry("gradcam", 30L);
    Map<String, Row> after = heatmaps(out);
    assertThat(after).hasSize(60).containsKeys(before.keySet().toArray(String[]::new));
    for (Map.Entry<String, Row> e : after.entrySet()) {
      Row earlier = before.get(e.getKey());
      if (earlier != null) {
        assertThat(runIdOf(e.getValue())).as("run of %s", e.getKey()).isEqualTo("inc-1");
        assertThat(e.getValue().getTimestamp(e.getValue().fieldIndex("created_at")))
            .isEqualTo(earlier.getTimestamp(earlier.fieldIndex("created_at")));
      } else {
        assertThat(runIdOf(e.getValue())).as("run of %s", e.getKey()).isEqualTo("inc-2");
      }
    }
    assertThat(classStatsImages(out, "gradient")).isEqualTo(30);
    assertThat(classStatsImages(out, "gradcam")).isEqualTo(30);

    // One file replaced by other bytes, one deleted: the table is rewritten as a full run would write it.
    Path changed = firstTwenty.get(3);
    Path deleted = firstTwenty.get(7);
    Files.copy(firstTwenty.get(0), changed, StandardCopyOption.REPLACE_EXISTING);
    Files.delete(deleted);
    SaliencyJob.Summary s3 = SaliencyJob.run(spark, config(in, out, "inc-3", "--incremental"));
    assertThat(s3.imagesExplained()).isEqualTo(1);
    assertThat(s3.imagesReused()).isEqualTo(28);
    Map<String, Row> rewritten = heatmaps(out);
    assertThat(rewritten).hasSize(58);
    String changedPath = new org.apache.hadoop.fs.Path("file:" + changed).toString();
    String deletedPath = new org.apache.hadoop.fs.Path("file:" + deleted).toString();
    assertThat(rewritten).doesNotContainKeys(deletedPath + "|gradient", deletedPath + "|gradcam");
    Row newRow = rewritten.get(changedPath + "|gradient");
    assertThat(runIdOf(newRow)).isEqualTo("inc-3");
    assertThat(newRow.getString(newRow.fieldIndex("image_id")))
        .isNotEqualTo(before.get(changedPath + "|gradient").getString(newRow.fieldIndex("image_id")));
    assertThat(rewritten.values().stream().filter(r -> runIdOf(r).equals("inc-1")).count()).isEqualTo(36);
    assertThat(Files.list(out).map(p -> p.getFileName().toString()).toList())
        .containsExactlyInAnyOrder("heatmaps", "quarantine", "class_stats", "run.json", ".run.json.crc");
    assertThat(classStatsImages(out, "gradcam")).isEqualTo(29);

    // Other method parameters: nothing can be kept.
    SaliencyJob.Summary s4 = SaliencyJob.run(spark, config(in, out, "inc-4", "--incremental", "--heatmap-size", "4"));
    assertThat(s4.imagesExplained()).isEqualTo(29);
    assertThat(s4.imagesReused()).isZero();
    Map<String, Row> resized = heatmaps(out);
    assertThat(resized).hasSize(58);
    assertThat(resized.values())
        .allSatisfy(r -> assertThat(r.getString(r.fieldIndex("method_params")))
            .isEqualTo("heatmap_size=4;image_size=16;mean=0.485,0.456,0.406;std=0.229,0.224,0.225;target=predicted"));
  }
}
