package org.sparksaliency.job.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
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
import org.sparksaliency.job.output.RunSummary;
import org.sparksaliency.job.output.TableSinks;
import org.sparksaliency.job.run.SaliencyJob;
import org.sparksaliency.job.run.TestSpark;

/**
 * The job's tables registered by name ({@code --output-table}) in a Delta or Iceberg catalog, as
 * spark-sql sees them: runs a, b (--incremental, --report) and a again, then queries by table name;
 * a task killed mid-write, a failed rewrite and two concurrent writers leave the tables consistent;
 * {@code conf/functions.sql} works on them. One session (Hive support, the format's settings, two
 * task attempts) per concrete class.
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
    SaliencyJob.run(spark, config("a"));
    firstA = latest("a");
    runB = SaliencyJob.run(spark, config("b", "--incremental=true", "--report=true"));
    SaliencyJob.run(spark, config("a"));
  }

  @AfterAll
  void stop() {
    TestSpark.stop(spark);
  }

  JobConfig config(String runId, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input=" + in,
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
    assertThat(runB.imagesExplained()).as("images run b explained").isZero();
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
