package org.sparksaliency.job.output;

import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * {@code --output-format parquet}: each table is a folder of Hive-style {@code run_id=<id>}
 * partitions ({@code heatmaps/run_id=<id>/method=<m>/}); a run overwrites its own partition folder
 * as a plain (static) overwrite of that path. Spark's dynamic partition overwrite would do the same
 * for a {@code partitionBy("run_id")} write, but the S3A magic committer refuses it, while a path
 * overwrite works with every committer (S3A, EMRFS, Databricks). Not atomic: a reader during the
 * overwrite may see the run's folder partly written. Reading a table's root folder gives every run,
 * with {@code run_id} as a column again.
 */
final class ParquetSink implements TableSink {
  private final String output;

  ParquetSink(String output) {
    this.output = output;
  }

  @Override
  public void replaceRun(Dataset<Row> rows, String table, String runId, List<String> partitionBy) {
    OutputFolders.refuseOtherFormat(rows.sparkSession(), location(table), "parquet");
    // The folder name carries the run id; a run_id column in the files too would duplicate the
    // partition column.
    rows.drop(OutputWriter.RUN_ID)
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy(partitionBy.toArray(String[]::new))
        .parquet(runFolder(table, runId));
  }

  @Override
  public Optional<Dataset<Row>> run(SparkSession spark, String table, String runId) {
    String folder = runFolder(table, runId);
    if (!OutputFolders.exists(spark, folder)) {
      return Optional.empty();
    }
    try {
      return Optional.of(spark.read().parquet(folder));
    } catch (Exception e) {
      // A run that wrote no rows leaves a folder without a schema to read: Spark's
      // AnalysisException ("Unable to infer schema"), a checked exception to Java.
      if (e instanceof AnalysisException) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public Optional<Dataset<Row>> all(SparkSession spark, String table, StructType schema) {
    String folder = location(table);
    if (!OutputFolders.exists(spark, folder)) {
      return Optional.empty();
    }
    // The schema given: a table without rows reads as empty, a column missing from older files
    // reads as null.
    return Optional.of(spark.read().schema(schema).parquet(folder));
  }

  @Override
  public String location(String table) {
    return output + "/" + table;
  }

  /** The folder holding the part of {@code table} of run {@code runId}. */
  String runFolder(String table, String runId) {
    return location(table) + "/" + OutputWriter.RUN_ID + "=" + runId;
  }
}
