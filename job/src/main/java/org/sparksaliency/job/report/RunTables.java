package org.sparksaliency.job.report;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparksaliency.job.output.OutputWriter;

/**
 * One run's tables as written: each read back from its {@code run_id=<id>} folder. The report is
 * built from these, not from the job's in-memory rows, so it shows what a reader of the tables sees
 * and can be rebuilt later.
 */
final class RunTables {
  /**
   * The table of the sanity check ({@code --sanity-check}): shown when a run wrote one, with
   * whatever columns.
   */
  static final String SANITY_CHECK = "sanity_verdicts";

  private final SparkSession spark;
  private final OutputWriter writer;

  RunTables(SparkSession spark, OutputWriter writer) {
    this.spark = spark;
    this.writer = writer;
  }

  Optional<Dataset<Row>> heatmaps() {
    return read("heatmaps");
  }

  Optional<Dataset<Row>> classStats() {
    return read("class_stats");
  }

  Optional<Dataset<Row>> quarantine() {
    return read("quarantine");
  }

  Optional<Dataset<Row>> sanityCheck() {
    return read(SANITY_CHECK);
  }

  /**
   * Whether {@code column} exists and holds a value: the AUC columns are in every heatmaps table
   * since --evaluate, null when the run did not ask for them.
   */
  static boolean hasValues(Dataset<Row> table, String column) {
    return hasColumn(table, column)
        && !table.filter(org.apache.spark.sql.functions.col(column).isNotNull()).limit(1).isEmpty();
  }

  /**
   * The rows of {@code table} (heatmaps or class_stats) whose target was asked for as a class
   * (target_rank null) or is the top class (1): under {@code --target top:K}, one row per image,
   * method and class as without it.
   */
  static Dataset<Row> primaryTargets(Dataset<Row> table) {
    if (!hasColumn(table, "target_rank")) {
      return table;
    }
    Column rank = org.apache.spark.sql.functions.col("target_rank");
    return table.filter(rank.isNull().or(rank.equalTo(1)));
  }

  static boolean hasColumn(Dataset<Row> table, String column) {
    return Arrays.asList(table.columns()).contains(column);
  }

  /**
   * The run's part of {@code table}; empty when the run wrote none, or wrote no rows (Spark then
   * leaves a folder without a schema to read).
   */
  private Optional<Dataset<Row>> read(String table) {
    String folder = writer.runPartition(table);
    Path p = new Path(folder);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        return Optional.empty();
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot build report: cannot list " + folder + " (" + e.getMessage() + ")", e);
    }
    try {
      return Optional.of(spark.read().parquet(folder));
    } catch (Exception e) {
      // Scala's AnalysisException ("Unable to infer schema") is a checked exception to Java.
      if (e instanceof org.apache.spark.sql.AnalysisException) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
