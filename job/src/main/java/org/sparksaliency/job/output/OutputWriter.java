package org.sparksaliency.job.output;

import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Writes one run's tables and report so that a rerun of the same run id replaces only that run's
 * output.
 *
 * <p>Each table is a folder of Hive-style {@code run_id=<id>} partitions ({@code
 * heatmaps/run_id=<id>/method=<m>/}, {@code quarantine/run_id=<id>/}, {@code
 * class_stats/run_id=<id>/}); a run overwrites its own partition folder as a plain (static)
 * overwrite of that path. Spark's dynamic partition overwrite would do the same for a {@code
 * partitionBy("run_id")} write, but the S3A magic committer refuses it, while a path overwrite
 * works with every committer (S3A, EMRFS, Databricks). Reading a table's root folder gives every
 * run, with {@code run_id} as a column again. The report goes to {@code runs/<id>/run.json}.
 */
public final class OutputWriter {
  /** The partition column every table is split by. */
  public static final String RUN_ID = "run_id";

  private final String output;
  private final String runId;

  public OutputWriter(String output, String runId) {
    this.output = stripSlash(Objects.requireNonNull(output, "output is null"));
    this.runId = Objects.requireNonNull(runId, "runId is null");
  }

  /** The folder holding this run's part of {@code table}. */
  public String runPartition(String table) {
    return tableFolder(table) + "/" + RUN_ID + "=" + runId;
  }

  /** The folder of {@code table}: every run's partition. */
  public String tableFolder(String table) {
    return output + "/" + table;
  }

  public String runId() {
    return runId;
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
    // The folder name carries the run id; a run_id column in the files too would duplicate the
    // partition column.
    rows.drop(RUN_ID)
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy(partitionBy)
        .parquet(runPartition(table));
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
  }
}
