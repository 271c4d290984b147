package org.sparksaliency.job.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.pipeline.SaliencyJob;

/**
 * The job's output on the bundled sample, made once per test JVM by the first SQL test class that needs it
 * (with that class's session) and read by the others: the job is the slow part, the queries are not.
 */
final class SampleOutput {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path SAMPLE = ROOT.resolve("sample-data");
  private static Path output;

  private SampleOutput() {}

  /** The output folder (heatmaps/, class_stats/, quarantine/, run.json). */
  static synchronized Path of(SparkSession spark) {
    if (output == null) {
      try {
        Path out = Files.createTempDirectory("sample-sql").resolve("out");
        SaliencyJob.run(
            spark,
            JobOptions.parse(
                "--input", SAMPLE.resolve("images").toString(),
                "--model", SAMPLE.resolve("model/shapes_cnn.pt").toString(),
                "--labels", SAMPLE.resolve("labels.txt").toString(),
                "--manifest", SAMPLE.resolve("manifest.csv").toString(),
                "--output", out.toString(),
                "--methods", "gradient,gradcam",
                "--image-size", "128",
                "--batch-size", "16",
                "--micro-batch-size", "8",
                "--partitions", "2",
                "--run-id", "sql-test"));
        output = out;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return output;
  }
}
