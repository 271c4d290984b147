package org.sparksaliency.job.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriterV2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException;
import org.apache.spark.sql.types.StructType;
import org.sparksaliency.job.config.TableFormat;

/**
 * {@code --output-table catalog.db.prefix} with Delta or Iceberg: each table is {@code
 * catalog.db.prefix_<table>}, registered in that catalog and partitioned by {@code run_id} (and
 * {@code method} for heatmaps). The first write creates it; later ones replace the run's rows with
 * an overwrite by the condition {@code run_id = '<id>'} (Delta: replaceWhere, Iceberg: a delete of
 * the run's partition and an append in one snapshot), one commit each: readers never see a mix, a
 * failed write changes nothing, and writers of other run ids commit side by side. Columns added by
 * later versions of the job are merged into the table's schema.
 */
final class CatalogSink implements TableSink {
  private final TableFormat format;
  private final String prefix;

  CatalogSink(TableFormat format, String prefix) {
    this.format = format;
    this.prefix = prefix;
  }

  @Override
  public void replaceRun(Dataset<Row> rows, String table, String runId, List<String> partitionBy) {
    Dataset<Row> out = rows.withColumn(OutputWriter.RUN_ID, lit(runId));
    String name = location(table);
    if (!rows.sparkSession().catalog().tableExists(name)) {
      try {
        // partitionedBy first, on DataFrameWriterV2, whose Java varargs form both Spark lines
        // have; var: the writer's type after it differs (CreateTableWriter in 3.5,
        // DataFrameWriterV2 in 4.0), and both have the calls below.
        var create =
            mergeSchema(out.writeTo(name))
                .partitionedBy(col(OutputWriter.RUN_ID), partitionColumns(partitionBy))
                .using(format.code());
        if (format == TableFormat.ICEBERG) {
          create = create.tableProperty("write.spark.accept-any-schema", "true");
        }
        create.create();
        return;
      } catch (TableAlreadyExistsException e) {
        // Another run created it since tableExists: replace this run's rows in it, as below.
      }
    }
    try {
      mergeSchema(out.writeTo(name)).overwrite(col(OutputWriter.RUN_ID).equalTo(lit(runId)));
    } catch (NoSuchTableException e) {
      throw new IllegalStateException(
          "Cannot write run " + runId + " to " + name + ": the table was dropped meanwhile", e);
    }
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
    return prefix + "_" + table;
  }

  /** The SQL condition that selects one run's rows. */
  static String runCondition(String runId) {
    // --run-id allows letters, digits and . _ - only (ValueChecks): nothing to escape.
    return OutputWriter.RUN_ID + " = '" + runId + "'";
  }

  /** {@code run_id}, then {@code partitionBy}. */
  static String[] partitioning(List<String> partitionBy) {
    List<String> all = new ArrayList<>();
    all.add(OutputWriter.RUN_ID);
    all.addAll(partitionBy);
    return all.toArray(String[]::new);
  }

  private static Column[] partitionColumns(List<String> partitionBy) {
    return partitionBy.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }

  private Optional<Dataset<Row>> read(SparkSession spark, String table) {
    String name = location(table);
    return spark.catalog().tableExists(name) ? Optional.of(spark.table(name)) : Optional.empty();
  }

  /**
   * Lets a write add the columns that later versions of the job add (Iceberg tables are also
   * created accepting any schema).
   */
  private DataFrameWriterV2<Row> mergeSchema(DataFrameWriterV2<Row> w) {
    return switch (format) {
      case DELTA -> w.option("mergeSchema", "true");
      case ICEBERG -> w.option("merge-schema", "true");
      case PARQUET -> throw new IllegalStateException("Cannot write parquet tables by name");
    };
  }
}
