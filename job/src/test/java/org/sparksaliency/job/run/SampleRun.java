package org.sparksaliency.job.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.sparksaliency.job.output.RunSummary;

/**
 * The job on the bundled sample with four partitions ({@link SampleJobTest#config}) and its HTML
 * report, run once per test JVM by the first test class that needs it, with that class's session,
 * and shared by the others: the run is the slow part of those tests, and its output does not depend
 * on the session.
 */
public final class SampleRun {
  /**
   * Where the run wrote its tables, what it reported, and the progress lines it printed (the run
   * has {@code --report} and {@code --progress-interval 1}).
   */
  public record Result(Path output, RunSummary summary, String progress) {}

  private static Result result;

  private SampleRun() {}

  public static synchronized Result of(SparkSession spark) {
    if (result == null) {
      try {
        Path out = Files.createTempDirectory("sample-run").resolve("out");
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        RunSummary summary =
            SaliencyJob.run(
                spark,
                SampleJobTest.config(out, 4, "--report", "--progress-interval", "1"),
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        result = new Result(out, summary, progress.toString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return result;
  }
}
