package org.sparksaliency.job.output;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.sparksaliency.job.config.OutputConfig;

/**
 * Writes one run's tables and report so that a rerun of the same run id replaces only that run's
 * output. The tables go to a {@link TableSink} (Parquet folders, Delta tables by path, or Delta or
 * Iceberg tables by name; {@link TableSinks}), each split by {@code run_id} ({@code heatmaps} by
 * {@code method} too); the report goes to {@code <output>/runs/<id>/run.json} whatever the format.
 */
public final class OutputWriter {
  /** The partition column every table is split by. */
  public static final String RUN_ID = "run_id";

  private final String output;
  private final String runId;
  private final TableSink sink;

  /** Parquet tables under {@code output}. */
  public OutputWriter(String output, String runId) {
    this(output, runId, new ParquetSink(stripSlash(output)));
  }

  private OutputWriter(String output, String runId, TableSink sink) {
    this.output = stripSlash(Objects.requireNonNull(output, "output is null"));
    this.runId = Objects.requireNonNull(runId, "runId is null");
    this.sink = Objects.requireNonNull(sink, "sink is null");
  }

  /**
   * The writer of the run {@code config} describes, in its format; checks on the driver that the
   * format's library and catalog are there ({@link TableSinks#of}).
   */
  public static OutputWriter of(SparkSession spark, OutputConfig config) {
    return new OutputWriter(config.output(), config.runId(), TableSinks.of(spark, config));
  }

  public String runId() {
    return runId;
  }

  /** This run's rows of {@code table}, without run_id; empty when the run wrote none. */
  public Optional<Dataset<Row>> runTable(SparkSession spark, String table) {
    return sink.run(spark, table, runId);
  }

  /** Every run's rows of {@code table}, read as {@code schema}; empty when there is no table. */
  public Optional<Dataset<Row>> allRuns(SparkSession spark, String table, StructType schema) {
    return sink.all(spark, table, schema);
  }

  /** Where {@code table} is: a folder URI or a table name. */
  public String location(String table) {
    return sink.location(table);
  }

  /** The folder of this run's {@code run.json}. */
  public String reportFolder() {
    return output + "/runs/" + runId;
  }

  /** Heatmaps, partitioned by run and method. Runs the model work unless the rows are cached. */
  public void heatmaps(Dataset<Row> heatmaps) {
    write(heatmaps, "heatmaps", "method");
  }

  public void quarantine(Dataset<Row> quarantine) {
    write(quarantine, "quarantine");
  }

  public void classStats(Dataset<Row> classStats) {
    write(classStats, "class_stats");
  }

  /** Per-layer statistics ({@code --layer-stats}). */
  public void layerStats(Dataset<Row> layerStats) {
    write(layerStats, "layer_stats");
  }

  /**
   * {@code --sanity-check}: per (image, method, layers randomised) similarities, and per-method
   * verdicts.
   */
  public void sanity(Dataset<Row> rows, Dataset<Row> verdicts) {
    write(rows, "sanity", "method");
    write(verdicts, "sanity_verdicts");
  }

  /** The class images table of {@code bin/saliency visualize}. */
  public void classImages(Dataset<Row> classImages) {
    write(classImages, "class_images");
  }

  /** Writes {@code runs/<id>/run.json}, replacing the one of an earlier run with this id. */
  public void report(Map<String, Object> report, Configuration conf) {
    RunReport.write(reportFolder(), report, conf);
  }

  private void write(Dataset<Row> rows, String table, String... partitionBy) {
    sink.replaceRun(rows, table, runId, List.of(partitionBy));
  }

  static String stripSlash(String s) {
    return s.endsWith("/") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
  }
}
