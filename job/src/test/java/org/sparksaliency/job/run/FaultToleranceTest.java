package org.sparksaliency.job.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparksaliency.job.api.SaliencyExplainer;
import org.sparksaliency.job.config.JobConfig;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.image.InputFolder;
import org.sparksaliency.job.input.ImageColumns;
import org.sparksaliency.job.input.ImageListing;
import org.sparksaliency.job.output.RunSummary;

/**
 * Task failures: in {@code local[2,4]} (two threads, up to four attempts per task) the first
 * attempt of half the explain tasks throws after handing three rows downstream. The job still
 * writes exactly one row per (image, method), the same bytes as a run without failures. That it is
 * Spark's output commit protocol that discards the failed attempts' rows is shown by writing the
 * same failing rows through a sink without one: there they are duplicated.
 */
class FaultToleranceTest {
  private static final int IMAGES = 24;
  private static final int PARTITIONS = 4;
  private static final Pattern INJECTED =
      Pattern.compile(
          "Injected fault \\(.*\\): attempt 0 of partition (\\d+) fails after emitting (\\d+) rows");
  private static SparkSession spark;
  @TempDir static Path dir;
  private static Map<String, byte[]> clean;
  private static final FailedTasks failed = new FailedTasks();

  /** Failed task attempts: the exception message, then the whole trace with its causes. */
  static final class FailedTasks extends SparkListener {
    final List<String> messages = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      if (end.reason() instanceof ExceptionFailure) {
        ExceptionFailure f = (ExceptionFailure) end.reason();
        messages.add(f.description() + "\n" + f.fullStackTrace());
      }
    }
  }

  @BeforeAll
  static void cleanRun() throws IOException {
    spark = TestSpark.session(FaultToleranceTest.class, "local[2,4]", Map.of());
    spark.sparkContext().addSparkListener(failed);
    InputFolder.scenes(dir.resolve("in"), IMAGES, 1);
    SaliencyJob.run(spark, config(dir.resolve("clean"), "clean"));
    clean = heatmapBytes(dir.resolve("clean"));
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  @BeforeEach
  void forgetFailures() {
    drainListenerBus();
    failed.messages.clear();
  }

  /** Listener events arrive asynchronously: wait until every task end so far has been seen. */
  private static void drainListenerBus() {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("Spark's listener bus did not drain", e);
    }
  }

  static JobConfig config(Path out, String runId) {
    return JobOptions.parse(
        "--input",
        dir.resolve("in").toString(),
        "--model",
        BadInputJobTest.MODEL.toString(),
        "--output",
        out.toString(),
        "--methods",
        "gradient,gradcam",
        "--image-size",
        "16",
        "--heatmap-size",
        "8",
        "--batch-size",
        "2",
        "--partitions",
        Integer.toString(PARTITIONS),
        "--run-id",
        runId);
  }

  /**
   * Runs {@code action} with the first attempt of every second explain task failing after three
   * rows.
   */
  private static void withFaults(Runnable action) {
    spark.conf().set(FaultInjection.SHARE, "0.5");
    spark.conf().set(FaultInjection.AFTER_ROWS, "3");
    try {
      action.run();
    } finally {
      spark.conf().unset(FaultInjection.SHARE);
      spark.conf().unset(FaultInjection.AFTER_ROWS);
    }
    drainListenerBus();
  }

  /**
   * Rows each failed attempt had emitted, by partition; checks every failure was an injected one.
   */
  private static Map<Integer, Integer> injectedFailures() {
    Map<Integer, Integer> rows = new HashMap<>();
    for (String m : failed.messages) {
      Matcher matcher = INJECTED.matcher(m);
      assertThat(matcher.find()).as("failure message %s", m).isTrue();
      rows.put(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
    }
    assertThat(rows.keySet())
        .as("partitions whose first attempt failed")
        .isNotEmpty()
        .isSubsetOf(1, 3);
    assertThat(rows.values()).allSatisfy(n -> assertThat(n).isBetween(1, 3));
    return rows;
  }

  private static Map<String, byte[]> heatmapBytes(Path out) {
    Map<String, byte[]> bytes = new HashMap<>();
    for (Row r : spark.read().parquet(out.resolve("heatmaps").toString()).collectAsList()) {
      String key = r.getString(r.fieldIndex("path")) + "|" + r.getString(r.fieldIndex("method"));
      assertThat(bytes.put(key, (byte[]) r.get(r.fieldIndex("heatmap"))))
          .as("a second row for %s", key)
          .isNull();
    }
    return bytes;
  }

  private static void assertSameAsClean(Map<String, byte[]> actual) {
    assertThat(actual).hasSize(2 * IMAGES).containsOnlyKeys(clean.keySet());
    actual.forEach(
        (key, bytes) -> assertThat(bytes).as("heatmap of %s", key).isEqualTo(clean.get(key)));
  }

  @Test
  void jobWithFailingFirstAttemptsWritesWhatACleanRunWrites() {
    RunSummary[] summary = new RunSummary[1];
    withFaults(
        () -> summary[0] = SaliencyJob.run(spark, config(dir.resolve("faulty-job"), "faulty-job")));
    injectedFailures();
    assertSameAsClean(heatmapBytes(dir.resolve("faulty-job")));
    assertThat(spark.read().parquet(dir.resolve("faulty-job/quarantine").toString()).count())
        .isZero();
    assertThat(summary[0].heatmapsByMethod())
        .containsEntry("gradient", (long) IMAGES)
        .containsEntry("gradcam", (long) IMAGES);
    // Spark merges the counters of successful attempts only.
    assertThat(summary[0].imagesExplained()).isEqualTo(IMAGES);
  }

  @Test
  void commitProtocolDropsRowsAFailedAttemptHadWritten() {
    // Straight from the explain stage into the Parquet writer, no cache in between: a failing
    // attempt's
    // rows reach its task output file before it throws.
    JobConfig config = config(dir.resolve("unused"), "faulty-api");
    SaliencyExplainer explainer =
        SaliencyExplainer.of(config.dataset().withPartitions(PARTITIONS), ImageColumns.FILE_PATHS);
    Dataset<Row> images = ImageListing.read(spark, config.input().input(), config.input().glob());
    String out = dir.resolve("faulty-api/heatmaps").toString();
    withFaults(() -> explainer.explain(images).heatmaps().write().parquet(out));
    injectedFailures();
    // The attempts failed inside the Parquet writer's task, with rows already written to their
    // files. Spark 3.5
    // wraps the task's exception in TASK_WRITE_FAILED; Spark 4 reports the exception itself, thrown
    // through the
    // writer's frames.
    assertThat(failed.messages)
        .allSatisfy(
            m ->
                assertThat(m)
                    .satisfiesAnyOf(
                        w ->
                            assertThat(w)
                                .startsWith(
                                    "[TASK_WRITE_FAILED] Task failed while writing rows to file:"
                                        + out
                                        + "."),
                        w ->
                            assertThat(w)
                                .startsWith("Injected fault")
                                .contains(
                                    "at org.apache.spark.sql.execution.datasources.FileFormatDataWriter.writeWithIterator")));
    assertSameAsClean(heatmapBytes(dir.resolve("faulty-api")));
  }

  @Test
  void withoutACommitProtocolTheFailedAttemptsRowsWouldBeDuplicates() throws IOException {
    JobConfig config = config(dir.resolve("unused"), "faulty-naive");
    SaliencyExplainer explainer =
        SaliencyExplainer.of(config.dataset().withPartitions(PARTITIONS), ImageColumns.FILE_PATHS);
    Dataset<Row> images = ImageListing.read(spark, config.input().input(), config.input().glob());
    Path sink = Files.createDirectories(dir.resolve("naive"));
    withFaults(
        () ->
            explainer
                .explain(images)
                .heatmaps()
                .select("path", "method")
                .foreachPartition(new AppendLines(sink.resolve("rows.txt").toString())));
    int lost = injectedFailures().values().stream().mapToInt(Integer::intValue).sum();
    List<String> lines = Files.readAllLines(sink.resolve("rows.txt"));
    assertThat(lines).hasSize(2 * IMAGES + lost);
    assertThat(lines.stream().distinct().count()).isEqualTo(2 * IMAGES);
  }

  /** A sink with no commit protocol: each row is appended to a file as soon as it arrives. */
  static final class AppendLines implements ForeachPartitionFunction<Row> {
    private static final long serialVersionUID = 1L;
    private final String file;

    AppendLines(String file) {
      this.file = file;
    }

    @Override
    public void call(java.util.Iterator<Row> rows) throws IOException {
      while (rows.hasNext()) {
        Row r = rows.next();
        synchronized (AppendLines.class) {
          Files.writeString(
              Path.of(file),
              r.getString(0) + "|" + r.getString(1) + "\n",
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
        }
      }
    }
  }
}
