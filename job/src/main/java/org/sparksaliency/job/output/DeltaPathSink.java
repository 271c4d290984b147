package org.sparksaliency.job.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * {@code --output-format delta} without {@code --output-table}: each table is a Delta table at
 * {@code <output>/<table>}, partitioned by {@code run_id} (and {@code method} for heatmaps). A run
 * replaces its rows with {@code replaceWhere run_id = '<id>'}: one commit, so readers see the old
 * rows or the new ones, never a mix, and a failed write changes nothing. Columns added by later
 * versions of the job are merged into the table's schema.
 */
final class DeltaPathSink implements TableSink {
  private final String output;

  DeltaPathSink(String output) {
    this.output = output;
  }

  @Override
  public void replaceRun(Dataset<Row> rows, String table, String runId, List<String> partitionBy) {
    OutputFolders.refuseOtherFormat(rows.sparkSession(), location(table), "delta");
    rows.withColumn(OutputWriter.RUN_ID, lit(runId))
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .option("replaceWhere", CatalogSink.runCondition(runId))
        .option("mergeSchema", "true")
        .partitionBy(CatalogSink.partitioning(partitionBy))
        .save(location(table));
  }

  @Override
  public Optional<Dataset<Row>> run(SparkSession spark, String table, String runId) {
    return read(spark, table)
        .map(t -> t.filter(col(OutputWriter.RUN_ID).equalTo(runId)).drop(OutputWriter.RUN_ID));
  }

  @Override
  public Optional<Dataset<Row>> all(SparkSession spark, String table, StructType schema) {
    return read(spark, table).map(t -> ResultSchema.conform(t, schema));
  }

  @Override
  public String location(String table) {
    return output + "/" + table;
  }

  private Optional<Dataset<Row>> read(SparkSession spark, String table) {
    if (!OutputFolders.isDelta(spark, location(table))) {
      return Optional.empty();
    }
    return Optional.of(spark.read().format("delta").load(location(table)));
  }
}
