package org.sparksaliency.job.output;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** Checks on the output's folders through the session's Hadoop filesystem. */
final class OutputFolders {
  private static final String DELTA_LOG = "_delta_log";

  private OutputFolders() {}

  static boolean exists(SparkSession spark, String folder) {
    Path p = new Path(folder);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.exists(p);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot list " + folder + ": " + e.getMessage(), e);
    }
  }

  static boolean isDelta(SparkSession spark, String folder) {
    return exists(spark, folder + "/" + DELTA_LOG);
  }

  /**
   * Fails when {@code folder} holds a table of the other path-addressed format: Parquet files
   * written into a Delta table's folder would be invisible to it, and a Delta log over Parquet run
   * folders would hide them.
   */
  static void refuseOtherFormat(SparkSession spark, String folder, String format) {
    boolean delta = isDelta(spark, folder);
    boolean wantDelta = "delta".equals(format);
    if (delta != wantDelta && exists(spark, folder)) {
      throw new IllegalStateException(
          String.format(
              "Cannot write %s table %s: the folder holds a %s table of earlier runs; choose another"
                  + " --output or the same --output-format",
              format, folder, delta ? "delta" : "parquet"));
    }
  }
}
