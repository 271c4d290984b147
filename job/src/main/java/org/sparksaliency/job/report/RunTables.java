package org.sparksaliency.job.report;

import java.util.Arrays;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparksaliency.job.output.OutputWriter;

/**
 * One run's tables as written: each read back from its table (its {@code run_id=<id>} folder, or
 * its rows of the Delta or Iceberg table). The report is built from these, not from the job's
 * in-memory rows, so it shows what a reader of the tables sees and can be rebuilt later.
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

  /** The sanity check's per-image similarities ({@code sanity}), for its plot. */
  Optional<Dataset<Row>> sanityRows() {
    return read("sanity");
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

  /** The run's part of {@code table}; empty when the run wrote none. */
  private Optional<Dataset<Row>> read(String table) {
    return writer.runTable(spark, table);
  }
}
