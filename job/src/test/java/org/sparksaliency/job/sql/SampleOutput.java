package org.sparksaliency.job.sql;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.sparksaliency.job.run.SampleRun;

/** The sample job's output the SQL tests query, and the repository folders their documents name. */
final class SampleOutput {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path SAMPLE = ROOT.resolve("sample-data");

  private SampleOutput() {}

  /**
   * The output folder (heatmaps/, class_stats/, quarantine/, run.json), shared with SampleJobTest.
   */
  static Path of(SparkSession spark) {
    return SampleRun.of(spark).output();
  }

  /** The run id of that output. */
  static String runId(SparkSession spark) {
    return SampleRun.of(spark).summary().runId();
  }
}
