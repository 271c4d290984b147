package org.sparksaliency.job.run;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.udf.spark.HeatmapFunctions;

/**
 * The job with several targets per image on part of the sample: {@code --target top:2} gives a
 * heatmap row per (image, method, rank) whose class is the prediction's class of that rank, and
 * class_stats rows per (method, class, rank) that count images; {@code class:square,0} gives the
 * listed classes with a null target_rank; a class the labels file lacks fails before any task.
 */
class MultiTargetJobTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path SAMPLE = ROOT.resolve("sample-data");
  private static final int IMAGES = 10; // img_00*

  private static SparkSession spark;
  private static Path dir;

  @BeforeAll
  static void start() throws IOException {
    spark = TestSpark.session(MultiTargetJobTest.class);
    dir = Files.createTempDirectory("saliency-targets");
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  private static Path run(String runId, String methods, String target) {
    Path out = dir.resolve(runId);
    SaliencyJob.run(
        spark,
        JobOptions.parse(
            "--input",
            SAMPLE.resolve("images").toString(),
            "--input-glob",
            "img_00*",
            "--model",
            SAMPLE.resolve("model/shapes_cnn.pt").toString(),
            "--labels",
            SAMPLE.resolve("labels.txt").toString(),
            "--manifest",
            SAMPLE.resolve("manifest.csv").toString(),
            "--output",
            out.toString(),
            "--methods",
            methods,
            "--image-size",
            "128",
            "--micro-batch-size",
            "5",
            "--target",
            target,
            "--run-id",
            runId,
            "--quiet",
            "true"));
    return out;
  }

  @Test
  void topTwoGivesOneRowPerImageMethodAndRank() throws IOException {
    Path out = run("top2", "gradient,gradcam", "top:2");
    List<Row> heatmaps = spark.read().parquet(out.resolve("heatmaps").toString()).collectAsList();
    assertThat(heatmaps).hasSize(IMAGES * 2 * 2);
    Map<String, List<Row>> byImageAndMethod =
        heatmaps.stream()
            .collect(Collectors.groupingBy(r -> r.getAs("path") + "|" + r.getAs("method")));
    assertThat(byImageAndMethod).hasSize(IMAGES * 2);
    for (List<Row> rows : byImageAndMethod.values()) {
      assertThat(rows).extracting(r -> r.<Integer>getAs("target_rank")).containsOnly(1, 2);
      for (Row r : rows) {
        List<Integer> top = r.getList(r.fieldIndex("top_classes"));
        int rank = r.getAs("target_rank");
        assertThat(r.<Integer>getAs("target_class")).isEqualTo(top.get(rank - 1));
        assertThat(r.<String>getAs("method_params")).contains(";target=top:2;");
      }
      assertThat(rows.get(0).<Integer>getAs("target_class"))
          .isNotEqualTo(rows.get(1).<Integer>getAs("target_class"));
    }

    List<Row> stats = spark.read().parquet(out.resolve("class_stats").toString()).collectAsList();
    Map<String, Long> counted = new HashMap<>();
    for (Row r : heatmaps) {
      counted.merge(
          r.getAs("method") + "|" + r.getAs("target_class") + "|" + r.getAs("target_rank"),
          1L,
          Long::sum);
    }
    assertThat(stats).hasSize(counted.size());
    for (Row s : stats) {
      String key = s.getAs("method") + "|" + s.getAs("target_class") + "|" + s.getAs("target_rank");
      assertThat(s.<Long>getAs("n_images")).as(key).isEqualTo(counted.get(key));
    }
    assertThat(
            spark
                .read()
                .parquet(out.resolve("class_stats").toString())
                .filter(col("method").equalTo("gradient").and(col("target_rank").equalTo(1)))
                .agg(org.apache.spark.sql.functions.sum("n_images"))
                .first()
                .getLong(0))
        .as("rank-1 rows of a method count every image once")
        .isEqualTo(IMAGES);
    assertTheDocsQueryRuns(out);
    assertThat(
            new ObjectMapper()
                .readTree(out.resolve("runs/top2/run.json").toFile())
                .path("config")
                .path("target")
                .asText())
        .isEqualTo("top:2");
  }

  /** The query of docs/targets.md, top-1 against top-2 maps, on the run's heatmaps. */
  private static void assertTheDocsQueryRuns(Path out) throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/targets.md"));
    Matcher m = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL).matcher(doc);
    assertThat(m.find()).as("the sql block of docs/targets.md").isTrue();
    HeatmapFunctions.register(spark);
    spark.read().parquet(out.resolve("heatmaps").toString()).createOrReplaceTempView("heatmaps");
    String query = m.group(1).trim();
    List<Row> rows = spark.sql(query.substring(0, query.length() - 1)).collectAsList();
    Map<String, Long> images = new HashMap<>();
    for (Row r : rows) {
      images.merge(r.getString(0), r.getLong(r.fieldIndex("images")), Long::sum);
      assertThat(r.<Double>getAs("mean_spearman")).isBetween(-1.0, 1.0);
    }
    assertThat(images)
        .containsOnly(Map.entry("gradient", (long) IMAGES), Map.entry("gradcam", (long) IMAGES));
  }

  @Test
  void aClassListGivesTheListedClassesWithoutRank() {
    Path out = run("listed", "gradient", "class:square,0");
    List<Row> heatmaps = spark.read().parquet(out.resolve("heatmaps").toString()).collectAsList();
    assertThat(heatmaps).hasSize(IMAGES * 2);
    assertThat(heatmaps)
        .allSatisfy(r -> assertThat(r.isNullAt(r.fieldIndex("target_rank"))).isTrue());
    Map<Integer, Long> byClass =
        heatmaps.stream()
            .collect(
                Collectors.groupingBy(
                    r -> r.<Integer>getAs("target_class"), Collectors.counting()));
    assertThat(byClass).containsOnly(Map.entry(1, (long) IMAGES), Map.entry(0, (long) IMAGES));
    assertThat(heatmaps)
        .filteredOn(r -> r.<Integer>getAs("target_class") == 1)
        .extracting(r -> r.<String>getAs("target_name"))
        .containsOnly("square");
  }

  @Test
  void aClassTheLabelsLackFailsBeforeAnyTask() {
    assertThatThrownBy(() -> run("unknown", "gradient", "class:hexagon"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot use --target: 'class:hexagon' names class 'hexagon', which is not in the labels"
                + " file (4 classes)");
    assertThat(dir.resolve("unknown").resolve("heatmaps")).doesNotExist();
  }
}
