package org.sparksaliency.job.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sparksaliency.job.config.JobConfig;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.config.TableFormat;
import org.sparksaliency.job.image.InputFolder;
import org.sparksaliency.job.output.OutputWriter;
import org.sparksaliency.job.output.QuarantineRatioException;
import org.sparksaliency.job.output.RunSummary;
import org.sparksaliency.job.output.TableSinks;
import org.sparksaliency.job.run.SaliencyJob;
import org.sparksaliency.job.run.TestSpark;

/**
 * The job's tables registered by name ({@code --output-table}) in a Delta or Iceberg catalog, as
 * spark-sql sees them: runs a, b (--incremental, --report) and a again, then queries by table name;
 * a task killed mid-write, a failed rewrite and two concurrent writers leave the tables consistent;
 * {@code conf/functions.sql} works on them; each run counts each image once, in its summary and
 * run.json, although the Delta and Iceberg writes drop the cache of the explain stage's rows (an
 * incremental run's rows read the heatmaps table they write). One session (Hive support, the
 * format's settings, two task attempts) per concrete class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NamedTablesContract {
  private static final Path MODEL =
      SampleOutput.ROOT.resolve("job/src/test/resources/models/tiny_smooth.pt");
  private static final String H =
      "struct(heatmap, heatmap_min, heatmap_max, heatmap_height, heatmap_width)";

  /** FaultInjection.SHARE: the first attempt of this share of the explain tasks fails. */
  private static final String FAIL_FIRST_ATTEMPT = "spark.saliency.test.failFirstAttemptShare";

  SparkSession spark;
  Path dir;
  Path in;
  Path out;
  RunSummary runA;
  RunSummary runB;
  Timestamp firstA;

  abstract TableFormat format();

  /** catalog.db.prefix of the tables. */
  abstract String prefix();

  String table(String name) {
    return prefix() + "_" + name;
  }

  @BeforeAll
  void runThreeTimes() throws IOException {
    dir = Files.createTempDirectory(getClass().getSimpleName());
    spark = HiveSession.start(getClass(), "local[2,2]", dir, TableSinks.sessionSettings(format()));
    in = dir.resolve("in");
    out = dir.resolve("out");
    InputFolder.scenes(in, 6, 1);
    Files.write(in.resolve("broken.jpg"), "not a jpeg".getBytes(StandardCharsets.UTF_8));
    runA = SaliencyJob.run(spark, config("a"));
    firstA = latest("a");
    runB = SaliencyJob.run(spark, config("b", "--incremental=true", "--report=true"));
    SaliencyJob.run(spark, config("a"));
  }

  @AfterAll
  void stop() {
    TestSpark.stop(spark);
  }

  JobConfig config(String runId, String... more) {
    return config(in, runId, more);
  }

  JobConfig config(Path input, String runId, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input=" + input,
                "--model=" + MODEL,
                "--output=" + out,
                "--output-format=" + format().code(),
                "--output-table=" + prefix(),
                "--methods=gradient",
                "--image-size=16",
                "--heatmap-size=8",
                "--batch-size=4",
                "--partitions=3",
                "--run-id=" + runId));
    args.addAll(List.of(more));
    return JobOptions.parse(args.toArray(String[]::new));
  }

  private List<String> sql(String query) {
    return spark.sql(query).collectAsList().stream().map(Row::toString).toList();
  }

  private Timestamp latest(String runId) {
    return spark
        .sql("SELECT max(created_at) FROM " + table("heatmaps") + " WHERE run_id = '" + runId + "'")
        .first()
        .getTimestamp(0);
  }

  @Test
  void twoRunsAndARerunAreEachOnceInTheTablesByName() throws IOException {
    assertThat(
            sql(
                "SELECT run_id, count(*), count(DISTINCT path) FROM "
                    + table("heatmaps")
                    + " WHERE run_id IN ('a', 'b') GROUP BY run_id ORDER BY run_id"))
        .containsExactly("[a,6,6]", "[b,6,6]");
    assertThat(latest("a")).as("the rerun replaced run a's rows").isAfter(firstA);
    // --incremental: run b's rows are run a's first rows, copied with the time they were computed.
    assertThat(
            sql(
                "SELECT count(*) FROM "
                    + table("heatmaps")
                    + " WHERE run_id = 'b' AND created_at = timestamp'"
                    + firstA
                    + "'"))
        .containsExactly("[6]");
    assertThat(
            sql(
                "SELECT run_id, sum(n_images) FROM "
                    + table("class_stats")
                    + " WHERE run_id IN ('a', 'b') GROUP BY run_id ORDER BY run_id"))
        .containsExactly("[a,6]", "[b,6]");
    assertThat(
            sql(
                "SELECT run_id, reason FROM "
                    + table("quarantine")
                    + " WHERE run_id IN ('a', 'b') ORDER BY run_id"))
        .containsExactly("[a,unsupported_format]", "[b,unsupported_format]");
    // The report of run b read its rows back from the tables.
    assertThat(Files.readString(out.resolve("runs/b/report/index.html")))
        .contains("gradient", "unsupported_format");
  }

  @Test
  void eachRunCountsEachImageOnce() throws IOException {
    assertThat(runA.imagesExplained()).as("images run a explained").isEqualTo(6);
    assertThat(runA.imagesReused()).as("images run a reused").isZero();
    assertThat(runB.imagesExplained()).as("images run b explained").isZero();
    assertThat(runB.imagesReused()).as("images run b reused").isEqualTo(6);
    for (RunSummary s : List.of(runA, runB)) {
      assertThat(s.inputFiles()).isEqualTo(7);
      assertThat(s.heatmapsByMethod()).containsExactly(Map.entry("gradient", 6L));
      assertThat(s.quarantinedFiles()).isEqualTo(1);
      assertThat(s.quarantinedByReason()).containsExactly(Map.entry("unsupported_format", 1L));
    }
    JsonNode counts = counts("b");
    assertThat(counts.get("images_explained").asLong()).isZero();
    assertThat(counts.get("images_reused").asLong()).isEqualTo(6);
    assertThat(counts.get("quarantined_files").asLong()).isEqualTo(1);
    assertThat(counts.get("heatmaps_by_method").get("gradient").asLong()).isEqualTo(6);
  }

  /**
   * More quarantine rows than the heatmaps write carries to the driver: quarantine/ is written from
   * the explain stage's rows, which Spark computes again after a Delta or Iceberg write dropped
   * their cache. The counts still say what the run did once, and the quarantine ratio check reads
   * the written table.
   */
  @Test
  void anIncrementalRunWithManyQuarantinedFilesCountsEachImageOnce() throws IOException {
    Path many = dir.resolve("many");
    InputFolder.scenes(many, 6, 1);
    SaliencyJob.run(spark, config(many, "many-1", "--input-glob=scene-*"));
    int broken = 10_001; // RowsTally.MAX_QUARANTINE_ROWS + 1
    for (int i = 0; i < broken; i++) {
      Files.write(
          many.resolve(String.format("broken-%05d.jpg", i)),
          "not a jpeg".getBytes(StandardCharsets.UTF_8));
    }
    Throwable failure =
        catchThrowable(() -> SaliencyJob.run(spark, config(many, "many-2", "--incremental=true")));
    assertThat(failure)
        .isInstanceOf(QuarantineRatioException.class)
        .hasMessageContaining("top reasons: unsupported_format " + broken);
    RunSummary s = ((QuarantineRatioException) failure).summary();
    assertThat(s.imagesReused()).as("images reused").isEqualTo(6);
    assertThat(s.imagesExplained()).as("images explained").isZero();
    assertThat(s.quarantinedFiles()).isEqualTo(broken);
    assertThat(counts("many-2").get("images_reused").asLong()).isEqualTo(6);
    assertThat(
            sql(
                "SELECT count(*), count(DISTINCT path) FROM "
                    + table("quarantine")
                    + " WHERE run_id = 'many-2'"))
        .containsExactly("[" + broken + "," + broken + "]");
    assertThat(sql("SELECT count(*) FROM " + table("heatmaps") + " WHERE run_id = 'many-2'"))
        .containsExactly("[6]");
  }

  private JsonNode counts(String runId) throws IOException {
    return new ObjectMapper()
        .readTree(out.resolve("runs/" + runId + "/run.json").toFile())
        .get("counts");
  }

  @Test
  void functionsSqlWorksOnTheTables() throws IOException {
    spark.conf().set("udf_jar", UdfJar.locate(dir).toString());
    for (String s :
        SqlText.statements(Files.readString(SampleOutput.ROOT.resolve("conf/functions.sql")))) {
      spark.sql(s);
    }
    // Each decoded map has heatmap-size² cells; the mean map of a run is one map of that size.
    assertThat(
            sql(
                "SELECT run_id, min(size(heatmap_decode("
                    + H
                    + "))), max(size(heatmap_decode("
                    + H
                    + "))), heatmap_avg("
                    + H
                    + ").heatmap_height FROM "
                    + table("heatmaps")
                    + " WHERE run_id IN ('a', 'b') GROUP BY run_id ORDER BY run_id"))
        .containsExactly("[a,64,64,8]", "[b,64,64,8]");
  }

  @Test
  void tasksKilledMidWriteLeaveEachRowOnce() {
    spark.conf().set(FAIL_FIRST_ATTEMPT, "0.5");
    try {
      SaliencyJob.run(spark, config("killed"));
    } finally {
      spark.conf().unset(FAIL_FIRST_ATTEMPT);
    }
    assertThat(
            sql(
                "SELECT count(*), count(DISTINCT path, method) FROM "
                    + table("heatmaps")
                    + " WHERE run_id = 'killed'"))
        .containsExactly("[6,6]");
  }

  @Test
  void aFailedRewriteChangesNothingAndConcurrentRunsCommitSideBySide() throws Exception {
    List<String> before = runRows("b");
    Dataset<Row> rows = spark.table(table("heatmaps")).filter("run_id = 'b'").repartition(3);
    Dataset<Row> failing =
        rows.selectExpr(
            "*", "if(spark_partition_id() = 1, raise_error('task killed'), 0) AS failure");
    OutputWriter rewriteB = OutputWriter.of(spark, config("b").output());
    assertThatThrownBy(() -> rewriteB.heatmaps(failing)).hasStackTraceContaining("task killed");
    assertThat(runRows("b")).as("run b after a failed rewrite").isEqualTo(before);

    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (String runId : List.of("c", "d")) {
        OutputWriter w = OutputWriter.of(spark, config(runId).output());
        writes.add(pool.submit(() -> w.heatmaps(rows)));
      }
      for (Future<?> f : writes) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(
            sql(
                "SELECT run_id, count(*) FROM "
                    + table("heatmaps")
                    + " WHERE run_id IN ('b', 'c', 'd') GROUP BY run_id ORDER BY run_id"))
        .containsExactly("[b,6]", "[c,6]", "[d,6]");
    assertThat(runRows("b")).isEqualTo(before);
  }

  /** A run's heatmap rows as text, in order: what a reader sees of it. */
  private List<String> runRows(String runId) {
    return sql(
        "SELECT path, method, created_at, sal_mean FROM "
            + table("heatmaps")
            + " WHERE run_id = '"
            + runId
            + "' ORDER BY path, method");
  }
}
