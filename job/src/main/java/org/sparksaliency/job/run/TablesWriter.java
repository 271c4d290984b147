package org.sparksaliency.job.run;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.sparksaliency.job.output.OutputWriter;
import org.sparksaliency.job.summary.ClassStats;

/**
 * Writes quarantine/ and class_stats/ from the one pass of the heatmaps write ({@link
 * OnePassTables}): small local tables, one task each, no Spark job over the explain stage's rows
 * (unless there were too many quarantine rows to gather on the driver).
 */
final class TablesWriter {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TablesWriter.class);

  private TablesWriter() {}

  static void write(
      SparkSession spark,
      OutputWriter writer,
      OnePassTables tables,
      SaliencyResult result,
      StructType heatmapSchema) {
    long start = System.currentTimeMillis();
    StructType quarantineSchema = result.quarantine().schema();
    Dataset<Row> quarantine =
        tables
            .quarantine()
            .map(rows -> spark.createDataFrame(rows, quarantineSchema))
            .orElseGet(
                () -> {
                  // With Delta or Iceberg and --incremental the heatmaps write dropped the rows'
                  // cache (they read the table it wrote): this computes them again, model work
                  // included. The run's counts come from the tallies all the same.
                  LOG.info(
                      "More than {} quarantine rows: quarantine/ is written from the persisted rows",
                      RowsTally.MAX_QUARANTINE_ROWS);
                  return result.quarantine();
                });
    writer.quarantine(quarantine);
    long classStart = System.currentTimeMillis();
    LOG.info("Wrote quarantine in {} s", (classStart - start) / 1000.0);
    writer.classStats(
        spark.createDataFrame(tables.classStats(), ClassStats.schema(spark, heatmapSchema)));
    LOG.info("Wrote class_stats in {} s", (System.currentTimeMillis() - classStart) / 1000.0);
  }
}
