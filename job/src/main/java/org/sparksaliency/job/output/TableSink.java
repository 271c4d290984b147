package org.sparksaliency.job.output;

import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Where a run's tables go and how a run replaces its own rows: one implementation per {@code
 * --output-format} and addressing ({@link ParquetSink}, {@link DeltaPathSink}, {@link CatalogSink};
 * {@link TableSinks#of} picks). Every table has a {@code run_id} column (Parquet keeps it in the
 * folder name); a write replaces the rows of its run id and nothing else.
 */
public interface TableSink {
  /**
   * Replaces the rows of run {@code runId} in {@code table} by {@code rows} (whose own {@code
   * run_id} column, if any, is replaced), creating the table if it does not exist.
   *
   * @param partitionBy columns to partition by after {@code run_id}
   */
  void replaceRun(Dataset<Row> rows, String table, String runId, List<String> partitionBy);

  /**
   * The rows of run {@code runId} in {@code table}, without the run_id column; empty when the run
   * wrote no such table.
   */
  Optional<Dataset<Row>> run(SparkSession spark, String table, String runId);

  /**
   * Every run's rows of {@code table}, with {@code run_id}, read as {@code schema}: columns the
   * table lacks (written before they existed) read as null. Empty when there is no such table.
   */
  Optional<Dataset<Row>> all(SparkSession spark, String table, StructType schema);

  /** Where {@code table} is, for people: a folder URI or a table name. */
  String location(String table);
}
