package org.sparksaliency.job.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The job on the bundled sample with four partitions ({@link SampleJobTest#config}), run once per test JVM by
 * the first test class that needs it, with that class's session, and shared by the others: the run is the
 * slow part of those tests, and its output does not depend on the session.
 */
public final class SampleRun {
  /** Where the run wrote its tables, and what it reported. */
  public record Result(Path output, SaliencyJob.Summary summary) {}

  private static Result result;

  private SampleRun() {}

  public static synchronized Result of(SparkSession spark) {
    if (result == null) {
      try {
        Path out = Files.createTempDirectory("sample-run").resolve("out");
        result = new Result(out, SaliencyJob.run(spark, SampleJobTest.config(out, 4)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return result;
  }
}
