package org.sparksaliency.job.run;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparksaliency.job.config.JobConfig;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.image.InputFolder;
import org.sparksaliency.job.input.ImageListing;
import org.sparksaliency.job.output.QuarantineRatioException;
import org.sparksaliency.job.output.RunSummary;

/**
 * The whole job over a generated folder of every kind of file (see {@link InputFolder}): each input
 * file ends in exactly one place per method, with the reason the decoder gives it, and a run that
 * quarantines too much fails only after writing everything.
 */
class BadInputJobTest {
  static final Path MODEL = Path.of("src/test/resources/models/tiny_smooth.pt").toAbsolutePath();
  private static final List<String> METHODS = List.of("gradient", "gradcam");
  @TempDir static Path dir;
  private static SparkSession spark;
  private static Path input;
  private static Path output;
  private static List<InputFolder.Expected> expected;
  private static RunSummary summary;

  @BeforeAll
  static void runJob() throws IOException {
    spark = TestSpark.session(BadInputJobTest.class);
    input = dir.resolve("in");
    output = dir.resolve("out");
    expected = InputFolder.write(input);
    summary = SaliencyJob.run(spark, config(output, "bad-1"));
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  static JobConfig config(Path out, String runId, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input",
                input.toString(),
                "--model",
                MODEL.toString(),
                "--output",
                out.toString(),
                "--methods",
                String.join(",", METHODS),
                "--image-size",
                "16",
                "--heatmap-size",
                "8",
                "--batch-size",
                "4",
                "--partitions",
                "3",
                "--run-id",
                runId));
    args.addAll(List.of(more));
    return JobOptions.parse(args.toArray(String[]::new));
  }

  private static Dataset<Row> table(Path out, String name) {
    return spark.read().parquet(out.resolve(name).toString());
  }

  /**
   * The path column value of a file, as Spark's listing writes it (a Hadoop path, not URL-encoded).
   */
  private static String uri(String relative) {
    return new org.apache.hadoop.fs.Path("file:" + input.resolve(relative)).toString();
  }

  @Test
  void everyInputFileIsInExactlyOnePlacePerMethodBySql() {
    // Input files are what the job's own listing finds: matching --input-glob, recursively.
    ImageListing.read(spark, input.toString(), config(output, "listing").input().glob())
        .createOrReplaceTempView("inputs");
    table(output, "heatmaps").createOrReplaceTempView("h");
    table(output, "quarantine").createOrReplaceTempView("q");
    List<Row> perMethod =
        spark
            .sql(
                "WITH methods AS (SELECT explode(array('gradient', 'gradcam')) AS method), "
                    + "expected AS (SELECT m.method, i.path FROM methods m CROSS JOIN inputs i), "
                    + "placed AS ("
                    + "  SELECT m.method, h.path FROM methods m JOIN h ON h.method = m.method "
                    + "  UNION ALL "
                    + "  SELECT m.method, q.path FROM methods m JOIN q ON q.method IS NULL OR q.method = m.method) "
                    + "SELECT coalesce(e.method, p.method) AS method, "
                    + "  count(p.path) AS placed, "
                    + "  count(DISTINCT p.path) AS distinct_paths, "
                    + "  count(DISTINCT e.path) AS inputs, "
                    + "  count_if(p.path IS NULL) AS missing, "
                    + "  count_if(e.path IS NULL) AS unknown "
                    + "FROM expected e FULL OUTER JOIN placed p ON e.method = p.method AND e.path = p.path "
                    + "GROUP BY coalesce(e.method, p.method) ORDER BY 1")
            .collectAsList();
    assertThat(perMethod).hasSize(2);
    for (Row r : perMethod) {
      String m = r.getString(0);
      assertThat(r.getLong(3)).as("input files").isEqualTo(expected.size());
      assertThat(r.getLong(1))
          .as("heatmaps + quarantine rows for %s", m)
          .isEqualTo(expected.size());
      assertThat(r.getLong(2))
          .as("distinct paths for %s (no path twice)", m)
          .isEqualTo(expected.size());
      assertThat(r.getLong(4)).as("input files with no row for %s", m).isZero();
      assertThat(r.getLong(5)).as("rows for %s whose path is no input file", m).isZero();
    }
  }

  @Test
  void theListingCountsTheRowsItsScanGivesWithoutASparkJob() {
    ImageListing.Listing listed =
        ImageListing.list(spark, input.toString(), config(output, "listing").input().glob());
    // Zero-byte, nested and oddly named files included; skipped and hidden ones not.
    assertThat(listed.count()).isEqualTo(expected.size());
    assertThat(listed.images().count()).isEqualTo(listed.count());
  }

  @Test
  void everyListedFileIsExplainedQuarantinedOrCountedAsSkipped() throws IOException {
    long present;
    try (var files = java.nio.file.Files.walk(input)) {
      // Names starting with "_" or "." are Hadoop's and Spark's hidden files: never listed, so
      // never counted.
      present =
          files
              .filter(java.nio.file.Files::isRegularFile)
              .filter(
                  f ->
                      !f.getFileName().toString().startsWith("_")
                          && !f.getFileName().toString().startsWith("."))
              .count();
    }
    long explained = expected.stream().filter(InputFolder.Expected::heatmap).count();
    assertThat(summary.imagesExplained()).isEqualTo(explained);
    assertThat(summary.skippedFiles()).as("notes.txt and README").isEqualTo(2);
    assertThat(summary.imagesExplained() + summary.quarantinedFiles() + summary.skippedFiles())
        .isEqualTo(present);
    assertThat(summary.skippedExamples())
        .containsExactlyInAnyOrder(uri("notes.txt"), uri("README"));
    com.fasterxml.jackson.databind.JsonNode counts =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(output.resolve("runs/bad-1/run.json").toFile())
            .get("counts");
    assertThat(counts.get("skipped_by_glob").asLong()).isEqualTo(2);
    assertThat(counts.get("skipped_examples")).hasSize(2);
  }

  @Test
  void eachFileEndsWhereItsKindSays() {
    Map<String, List<Row>> heatmaps = byPath(table(output, "heatmaps"));
    Map<String, List<Row>> quarantine = byPath(table(output, "quarantine"));
    // InputFolder writes 16 decodable input files and 8 unusable ones: each table holds exactly its
    // share.
    Set<String> decodable =
        expected.stream()
            .filter(InputFolder.Expected::heatmap)
            .map(e -> uri(e.file()))
            .collect(Collectors.toSet());
    Set<String> unusable =
        expected.stream()
            .filter(e -> !e.heatmap())
            .map(e -> uri(e.file()))
            .collect(Collectors.toSet());
    assertThat(decodable).hasSize(16);
    assertThat(unusable).hasSize(8);
    assertThat(heatmaps.keySet()).isEqualTo(decodable);
    assertThat(quarantine.keySet()).isEqualTo(unusable);
    for (InputFolder.Expected e : expected) {
      String path = uri(e.file());
      if (e.heatmap()) {
        List<Row> rows = heatmaps.get(path);
        assertThat(rows).as("heatmaps of %s", e.file()).isNotNull();
        assertThat(rows.stream().map(r -> r.getString(r.fieldIndex("method"))).sorted().toList())
            .as("methods of %s", e.file())
            .containsExactly("gradcam", "gradient");
        for (Row r : rows) {
          assertThat(r.getInt(r.fieldIndex("width")))
              .as("width of %s", e.file())
              .isEqualTo(e.width());
          assertThat(r.getInt(r.fieldIndex("height")))
              .as("height of %s", e.file())
              .isEqualTo(e.height());
          assertThat((byte[]) r.get(r.fieldIndex("heatmap"))).hasSize(64);
          assertThat(Float.isFinite(r.getFloat(r.fieldIndex("heatmap_max")))).isTrue();
        }
        assertThat(quarantine).as("quarantine of %s", e.file()).doesNotContainKey(path);
      } else {
        List<Row> rows = quarantine.get(path);
        assertThat(rows).as("quarantine of %s", e.file()).hasSize(1);
        Row q = rows.get(0);
        assertThat(q.getString(q.fieldIndex("reason")))
            .as("reason for %s", e.file())
            .isEqualTo(e.reason());
        assertThat(q.getString(q.fieldIndex("message")))
            .as("message for %s", e.file())
            .isNotBlank()
            .doesNotContain("\n");
        assertThat(q.isNullAt(q.fieldIndex("method"))).as("method of %s", e.file()).isTrue();
        assertThat(q.getString(q.fieldIndex("run_id"))).isEqualTo("bad-1");
        assertThat(heatmaps).as("heatmaps of %s", e.file()).doesNotContainKey(path);
      }
    }
    Set<String> placed = new java.util.HashSet<>(heatmaps.keySet());
    placed.addAll(quarantine.keySet());
    for (String other : InputFolder.NOT_INPUTS) {
      assertThat(placed).as("a file that is not an input: %s", other).doesNotContain(uri(other));
    }
  }

  /**
   * With --resize crop every file ends in the same place, method_params records the crop, and the
   * stored grid still spans the whole image: peaks lie inside it, in original pixels.
   */
  @Test
  void aCropRunPlacesEveryFileAlikeAndRecordsTheCrop() {
    Path out = output.resolveSibling("crop");
    RunSummary crop = SaliencyJob.run(spark, config(out, "bad-crop", "--resize", "crop"));
    assertThat(crop.imagesExplained()).isEqualTo(summary.imagesExplained());
    assertThat(crop.quarantinedByReason()).isEqualTo(summary.quarantinedByReason());
    assertThat(crop.skippedFiles()).isEqualTo(summary.skippedFiles());
    for (Row r : table(out, "heatmaps").collectAsList()) {
      String path = r.getString(r.fieldIndex("path"));
      assertThat(r.getString(r.fieldIndex("method_params")))
          .as("method_params of %s", path)
          .contains(";resize=crop;resize_size=18;");
      assertThat(r.getDouble(r.fieldIndex("peak_x")))
          .as("peak_x of %s", path)
          .isBetween(0.0, (double) r.getInt(r.fieldIndex("width")));
      assertThat(r.getDouble(r.fieldIndex("peak_y")))
          .as("peak_y of %s", path)
          .isBetween(0.0, (double) r.getInt(r.fieldIndex("height")));
    }
  }

  @Test
  void messagesSayWhatIsWrongWithEachFile() {
    Map<String, Row> q = new HashMap<>();
    for (Row r : table(output, "quarantine").collectAsList()) {
      q.put(r.getString(r.fieldIndex("path")), r);
    }
    assertThat(message(q, "empty.jpg")).isEqualTo("file is empty (0 bytes)");
    assertThat(message(q, "notes.png"))
        .isEqualTo(
            "not a recognised image format (accepted: jpeg, png, gif, bmp, tiff, webp, wbmp); first bytes 4d 65 65 74 69 6e 67 20"
                + " \"Meeting \"");
    assertThat(message(q, "bomb.png"))
        .isEqualTo("image is 50000 x 50000 = 2500000000 pixels, more than the limit of 50000000");
    assertThat(message(q, "truncated.png")).startsWith("Cannot decode png image: ");
    assertThat(message(q, "truncated.jpg")).startsWith("Cannot decode jpeg image: ");
    assertThat(message(q, "lossy.webp"))
        .isEqualTo(
            "Cannot decode webp image: lossy (VP8) WebP is not accepted: the WebP reader"
                + " (TwelveMonkeys 3.14.0) decodes its colours wrongly; lossless WebP is read");
    // The 0.5 GB file is refused from its listed size: never read, so it has no image_id.
    Row huge = q.get(uri("huge.jpg"));
    assertThat(huge.getString(huge.fieldIndex("message")))
        .isEqualTo("file has 536870912 bytes, more than --max-file-bytes 268435456");
    assertThat(huge.getLong(huge.fieldIndex("size_bytes"))).isEqualTo(InputFolder.HUGE_BYTES);
    assertThat(huge.isNullAt(huge.fieldIndex("image_id"))).isTrue();
    Row bomb = q.get(uri("bomb.png"));
    assertThat(bomb.getString(bomb.fieldIndex("image_id"))).matches("[0-9a-f]{64}");
  }

  @Test
  void summaryAndRunJsonCountEveryReason() throws IOException {
    Map<String, Long> byReason =
        expected.stream()
            .filter(e -> !e.heatmap())
            .collect(
                Collectors.groupingBy(
                    InputFolder.Expected::reason, TreeMap::new, Collectors.counting()));
    long good = expected.stream().filter(InputFolder.Expected::heatmap).count();
    assertThat(summary.inputFiles()).isEqualTo(expected.size());
    assertThat(summary.quarantinedByReason()).isEqualTo(byReason);
    assertThat(summary.heatmapsByMethod())
        .containsExactly(Map.entry("gradient", good), Map.entry("gradcam", good));
    assertThat(summary.imagesExplained()).isEqualTo(good);
    JsonNode run = new ObjectMapper().readTree(output.resolve("runs/bad-1/run.json").toFile());
    assertThat(run.at("/counts/quarantined_files").asLong()).isEqualTo(expected.size() - good);
    assertThat(run.at("/counts/quarantine_by_reason/too_large").asLong()).isEqualTo(2);
    assertThat(run.at("/counts/quarantine_ratio").asDouble())
        .isEqualTo((double) (expected.size() - good) / expected.size());
    assertThat(run.at("/counts/quarantine_ratio_exceeded").asBoolean()).isFalse();
    assertThat(run.at("/config/max_quarantine_ratio").asDouble()).isEqualTo(0.5);
  }

  @Test
  void tooManyQuarantinedFilesFailTheRunAfterEverythingIsWritten() throws IOException {
    Path out = output.resolveSibling("strict");
    long bad = expected.stream().filter(e -> !e.heatmap()).count();
    long good = expected.size() - bad;
    assertThatThrownBy(
            () ->
                SaliencyJob.run(spark, config(out, "bad-strict", "--max-quarantine-ratio", "0.2")))
        .isInstanceOf(QuarantineRatioException.class)
        .hasMessage(
            "Cannot complete run bad-strict: %d of %d input files (%.1f%%) were quarantined, more than"
                + " --max-quarantine-ratio 0.2; top reasons: unsupported_format 3, decode_failed 2, too_large 2"
                + " (unsupported_format: \"%s\"); every table and run.json were written to %s",
            bad,
            expected.size(),
            100.0 * bad / expected.size(),
            message(quarantineByPath(out), "lossy.webp"),
            out)
        .satisfies(
            e ->
                assertThat(((QuarantineRatioException) e).summary().quarantinedFiles())
                    .isEqualTo(bad));
    assertThat(table(out, "heatmaps").count()).isEqualTo(2 * good);
    assertThat(table(out, "quarantine").count()).isEqualTo(bad);
    assertThat(
            table(out, "class_stats")
                .filter(col("method").equalTo("gradient"))
                .selectExpr("sum(n_images)")
                .first()
                .getLong(0))
        .isEqualTo(good);
    JsonNode run = new ObjectMapper().readTree(out.resolve("runs/bad-strict/run.json").toFile());
    assertThat(run.at("/counts/quarantine_ratio_exceeded").asBoolean()).isTrue();
  }

  private static Map<String, Row> quarantineByPath(Path out) {
    Map<String, Row> q = new HashMap<>();
    for (Row r : table(out, "quarantine").collectAsList()) {
      q.put(r.getString(r.fieldIndex("path")), r);
    }
    return q;
  }

  private static String message(Map<String, Row> q, String file) {
    Row r = q.get(uri(file));
    assertThat(r).as("quarantine row of %s", file).isNotNull();
    return r.getString(r.fieldIndex("message"));
  }

  private static Map<String, List<Row>> byPath(Dataset<Row> table) {
    Map<String, List<Row>> out = new HashMap<>();
    for (Row r : table.collectAsList()) {
      out.computeIfAbsent(r.getString(r.fieldIndex("path")), k -> new ArrayList<>()).add(r);
    }
    return out;
  }
}
