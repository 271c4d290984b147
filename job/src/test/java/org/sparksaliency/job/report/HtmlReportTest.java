package org.sparksaliency.job.report;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparksaliency.job.config.ReportConfig;
import org.sparksaliency.job.output.OutputWriter;
import org.sparksaliency.job.run.SampleRun;
import org.sparksaliency.job.run.TestSpark;
import org.sparksaliency.job.summary.ClassStats;
import org.sparksaliency.udf.Colormap;

/**
 * The {@code --report} page of the shared sample run (written by the run itself), and one built
 * from tables that carry the columns and tables of later features (deletion/insertion AUC, a sanity
 * check), quarantined files and images that can no longer be read: each opened in headless
 * Chromium, which must load every image and report no error.
 */
class HtmlReportTest {
  private static final String PAGE_STATE =
      "({images: Array.from(document.images).map(i => ({src: i.getAttribute('src'), complete: i.complete,"
          + " width: i.naturalWidth})), classes: document.querySelectorAll('h3').length,"
          + " text: document.body.innerText, plots: Array.from(document.querySelectorAll('figure.plot'))"
          + ".map(f => ({id: f.id, width: f.querySelector('svg').getBoundingClientRect().width,"
          + " series: Array.from(f.querySelectorAll('.series')).map(s => ({points:"
          + " (s.getAttribute('points') || '').trim().split(' ').length,"
          + " drawn: s.getBoundingClientRect().height})),"
          + " legend: Array.from(f.querySelectorAll('.legend text')).map(t => t.textContent)}))})";
  private static final Pattern EXTERNAL =
      Pattern.compile("(src|href)=\"(?!img/)|url\\(|<script|<link");

  @TempDir static Path tmp;
  private static SparkSession spark;
  private static SampleRun.Result run;
  private static HeadlessChromium chromium;

  @BeforeAll
  static void start() throws Exception {
    spark = TestSpark.session(HtmlReportTest.class);
    run = SampleRun.of(spark); // with --report
    chromium = HeadlessChromium.start(Files.createDirectories(tmp.resolve("chromium-profile")));
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    TestSpark.stop(spark);
  }

  @Test
  void sampleReportRendersEveryImageWithoutErrors() throws Exception {
    Path index = run.output().resolve("runs/test-4/report/index.html");
    String html = Files.readString(index, StandardCharsets.UTF_8);
    assertThat(EXTERNAL.matcher(html).find()).as("a reference outside the report folder").isFalse();

    HeadlessChromium.Page page =
        chromium.open(index.toUri().toString(), PAGE_STATE, Duration.ofSeconds(60));
    assertThat(page.errors()).isEmpty();
    // Without --evaluate and --sanity-check: the histograms alone, one outline per method.
    assertThat(page.value().path("plots").findValuesAsText("id"))
        .containsExactly("plot-target_score", "plot-sal_entropy");
    for (JsonNode plot : page.value().path("plots")) {
      assertThat(plot.path("series")).hasSize(2);
      assertThat(plot.path("series").findValues("drawn"))
          .allSatisfy(h -> assertThat(h.asDouble()).isPositive());
    }
    // Per (method, class): the mean heatmap, and top 3 + worst 3 (all of them when the class has
    // fewer).
    List<Row> groups =
        spark
            .read()
            .parquet(run.output().resolve("heatmaps/run_id=test-4").toString())
            .groupBy("method", "target_class")
            .count()
            .collectAsList();
    long expected = groups.stream().mapToLong(g -> 1 + Math.min(g.getLong(2), 6)).sum();
    assertThat(page.value().path("images")).hasSize((int) expected);
    assertThat(page.value().path("images"))
        .allSatisfy(
            i -> {
              assertThat(i.path("complete").asBoolean()).as("%s complete", i.path("src")).isTrue();
              assertThat(i.path("width").asInt()).as("%s naturalWidth", i.path("src")).isPositive();
            });
    assertThat(page.value().path("classes").asInt()).isEqualTo(4);

    String text = page.value().path("text").asText();
    // The sample run's methods (SampleJobTest.config), each with a pointing accuracy: the manifest
    // has boxes.
    assertThat(run.summary().pointingByMethod()).containsOnlyKeys("gradient", "gradcam");
    for (Map.Entry<String, Double> e : run.summary().pointingByMethod().entrySet()) {
      // The methods table: the same pointing accuracy as the run's summary.
      assertThat(text)
          .containsPattern(
              "(?m)^"
                  + e.getKey()
                  + "\\t40\\t.*\\t"
                  + String.format(Locale.ROOT, "%.3f", e.getValue())
                  + "\\t");
    }
    assertThat(text)
        .contains(
            "No file was quarantined.",
            "by share of the heatmap inside the labelled box (box_mass)")
        .doesNotContain("Sanity check", "auc");
  }

  @Test
  void reportShowsLaterColumnsSanityVerdictsQuarantineAndUnreadableImages() throws Exception {
    Path out = tmp.resolve("derived");
    OutputWriter writer = new OutputWriter(out.toString(), "eval-1");
    // The sample's heatmaps with AUC columns; gradient's images point at files that no longer
    // exist.
    Dataset<Row> heatmaps =
        spark
            .read()
            .parquet(run.output().resolve("heatmaps/run_id=test-4").toString())
            .withColumn("run_id", lit("eval-1"))
            .withColumn("deletion_auc", col("sal_gini").multiply(0.5))
            .withColumn("insertion_auc", lit(1.0).minus(col("sal_entropy").multiply(0.5)))
            // Three-point curves (--evaluate-steps 2) that vary from map to map.
            .withColumn(
                "deletion_curve", array(lit(0.9f), col("sal_gini").cast("float"), lit(0.05f)))
            .withColumn(
                "insertion_curve", array(lit(0.1f), col("sal_entropy").cast("float"), lit(0.9f)))
            .withColumn(
                "path",
                when(col("method").equalTo("gradient"), concat(col("path"), lit(".gone")))
                    .otherwise(col("path")));
    writer.heatmaps(heatmaps);
    // ClassStats computes mean_deletion_auc and mean_insertion_auc itself since --evaluate.
    writer.classStats(ClassStats.compute(heatmaps));
    StructType q =
        new StructType()
            .add("path", DataTypes.StringType)
            .add("reason", DataTypes.StringType)
            .add("message", DataTypes.StringType)
            .add("method", DataTypes.StringType);
    writer.quarantine(
        spark.createDataFrame(
            List.of(
                RowFactory.create(
                    "file:/in/a.jpg",
                    "decode_failed",
                    "Cannot decode jpeg image: <truncated>",
                    null),
                RowFactory.create(
                    "file:/in/b.jpg",
                    "decode_failed",
                    "Cannot decode jpeg image: <truncated>",
                    null),
                RowFactory.create("file:/in/c.png", "too_large", "file has 9 bytes", null)),
            q));
    StructType s =
        new StructType()
            .add("method", DataTypes.StringType)
            .add("layers_randomised", DataTypes.IntegerType)
            .add("spearman", DataTypes.DoubleType)
            .add("verdict", DataTypes.StringType);
    spark
        .createDataFrame(
            List.of(
                RowFactory.create("gradient", 2, 0.12, "pass"),
                RowFactory.create("gradcam", 2, 0.91, "fail")),
            s)
        .write()
        .parquet(out.resolve("sanity_verdicts/run_id=eval-1").toString());
    // The per-image similarities behind the verdicts: 0, 1 and 2 layers randomised, two images.
    List<Row> similarities = new ArrayList<>();
    for (int layers = 0; layers <= 2; layers++) {
      for (int image = 0; image < 2; image++) {
        similarities.add(RowFactory.create("gradient", layers, 1.0 - 0.4 * layers - 0.05 * image));
        similarities.add(RowFactory.create("gradcam", layers, 0.95 - 0.02 * layers + 0.01 * image));
      }
    }
    spark
        .createDataFrame(
            similarities,
            new StructType()
                .add("method", DataTypes.StringType)
                .add("layers_randomised", DataTypes.IntegerType)
                .add("spearman", DataTypes.DoubleType))
        .write()
        .parquet(out.resolve("sanity/run_id=eval-1").toString());

    HtmlReport.write(spark, writer, new ReportConfig(true, Colormap.JET, 2, 3));

    Path index = out.resolve("runs/eval-1/report/index.html");
    String html = Files.readString(index, StandardCharsets.UTF_8);
    assertThat(EXTERNAL.matcher(html).find()).isFalse();
    HeadlessChromium.Page page =
        chromium.open(index.toUri().toString(), PAGE_STATE, Duration.ofSeconds(60));
    assertThat(page.errors()).isEmpty();
    assertThat(page.value().path("classes").asInt()).isEqualTo(3);
    // 3 of the 4 classes (the most heatmaps first); per (method, class) a mean map and up to 2 + 2
    // images, of which
    // only gradcam's exist.
    Map<Integer, Long> perClass = new HashMap<>();
    heatmaps
        .filter(col("method").equalTo("gradcam"))
        .groupBy("target_class")
        .count()
        .collectAsList()
        .forEach(r -> perClass.put(r.getInt(0), r.getLong(1)));
    List<Integer> shown =
        perClass.keySet().stream()
            .sorted(
                Comparator.comparingLong((Integer c) -> -perClass.get(c)).thenComparingInt(c -> c))
            .limit(3)
            .toList();
    long overlays = shown.stream().mapToLong(c -> Math.min(perClass.get(c), 4)).sum();
    assertThat(page.value().path("images")).hasSize((int) (2 * shown.size() + overlays));
    assertThat(page.value().path("images"))
        .allSatisfy(i -> assertThat(i.path("width").asInt()).isPositive());
    String text = page.value().path("text").asText();
    assertThat(countOf(text, "cannot read file:")).isEqualTo(overlays);
    assertThat(text).contains("3 of 4 classes shown", "not found in");
    // Every plot drawn, with a line or outline per method: the curves with K + 1 = 3 points, the
    // sanity check with one point per number of randomised layers.
    assertThat(page.value().path("plots").findValuesAsText("id"))
        .containsExactly(
            "plot-deletion_curve",
            "plot-insertion_curve",
            "plot-target_score",
            "plot-sal_entropy",
            "plot-sanity");
    for (JsonNode plot : page.value().path("plots")) {
      assertThat(plot.path("width").asDouble()).as("%s width", plot.path("id")).isPositive();
      List<String> legend = new ArrayList<>();
      plot.path("legend").forEach(t -> legend.add(t.asText()));
      assertThat(legend).containsExactlyInAnyOrder("gradient", "gradcam");
      assertThat(plot.path("series")).as("%s series", plot.path("id")).hasSize(2);
      for (JsonNode line : plot.path("series")) {
        assertThat(line.path("drawn").asDouble())
            .as("%s drawn height", plot.path("id"))
            .isPositive();
        if (!plot.path("id").asText().endsWith("_score")
            && !plot.path("id").asText().endsWith("_entropy")) {
          assertThat(line.path("points").asInt()).as("%s points", plot.path("id")).isEqualTo(3);
        }
      }
    }

    double deletion =
        heatmaps
            .filter(col("method").equalTo("gradcam"))
            .agg(avg("deletion_auc"))
            .first()
            .getDouble(0);
    assertThat(html).contains("<th>mean deletion auc</th><th>mean insertion auc</th>");
    assertThat(text)
        .containsPattern(
            "(?m)^gradcam\\t40\\t.*\\t" + String.format(Locale.ROOT, "%.3f", deletion) + "\\t");
    assertThat(html)
        .contains("<h2 id=\"sanity\">Sanity check</h2>")
        .contains("<tr><td>gradient</td><td>2</td><td>0.120</td><td>pass</td></tr>")
        .contains("<tr><td>gradcam</td><td>2</td><td>0.910</td><td>fail</td></tr>")
        .contains(
            "<tr><td>decode_failed</td><td>2</td><td>2</td><td>Cannot decode jpeg image: &lt;truncated&gt;</td></tr>")
        .contains("<tr><td>too_large</td><td>1</td><td>1</td><td>file has 9 bytes</td></tr>");
  }

  @Test
  void topAndWorstAreTheHighestAndLowestBoxMassOfEachClass() {
    Dataset<Row> heatmaps =
        spark.read().parquet(run.output().resolve("heatmaps/run_id=test-4").toString());
    assertThat(ImageSelection.scoreOf(heatmaps)).isEqualTo(ImageSelection.Score.BOX_MASS);
    Map<String, List<String>> selected = new HashMap<>();
    ImageSelection.select(heatmaps, List.of(0, 1, 2, 3), ImageSelection.Score.BOX_MASS, 3)
        .orderBy(ImageSelection.RANK)
        .collectAsList()
        .forEach(
            r ->
                selected
                    .computeIfAbsent(key(r) + r.getAs(ImageSelection.KIND), k -> new ArrayList<>())
                    .add(r.getAs("path")));
    // The same by sorting on the driver.
    Map<String, List<Row>> groups = new HashMap<>();
    heatmaps
        .collectAsList()
        .forEach(r -> groups.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r));
    assertThat(groups).hasSize(8);
    groups.forEach(
        (k, rows) -> {
          List<String> byMass =
              rows.stream()
                  .sorted(
                      Comparator.comparingDouble((Row r) -> -r.<Double>getAs("box_mass"))
                          .thenComparing(r -> r.<String>getAs("path")))
                  .map(r -> r.<String>getAs("path"))
                  .toList();
          assertThat(selected.get(k + "top")).isEqualTo(byMass.subList(0, 3));
          List<String> reversed = new ArrayList<>(byMass);
          Collections.reverse(reversed);
          assertThat(selected.get(k + "worst")).isEqualTo(reversed.subList(0, 3));
        });
  }

  private static String key(Row r) {
    return r.getAs("method") + "/" + r.getAs("target_class") + "/";
  }

  private static long countOf(String text, String part) {
    Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
    long n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
