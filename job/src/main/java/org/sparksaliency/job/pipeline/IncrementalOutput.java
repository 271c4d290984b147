package org.sparksaliency.job.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * The heatmaps table of {@code --incremental} runs. An earlier heatmap row is kept when the file at its
 * path still has its bytes (same image_id), its manifest label, and the run uses the same model_id, method
 * and method_params; its image is then not explained again. New rows are added to the table. Rows that
 * cannot be kept (changed or vanished files, another model or parameters) make the table be rewritten
 * instead, kept and new rows together, so the result is the table a full run would write (up to float
 * rounding from different batches), never one with a path twice. Either way the rows are first written to
 * a staging folder {@code _incremental-<run id>} under the output and moved in by {@link #commit()}. The earlier table
 * is read with today's schema, so a column it was written without (method_params, before --incremental
 * existed) reads as null and keeps nothing.
 */
public final class IncrementalOutput {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IncrementalOutput.class);
  private static final List<String> KEY = List.of("path", "image_id", "method");

  private final SparkSession spark;
  private final String output;
  private final String runId;
  private final Optional<Dataset<Row>> existing;
  private Pending pending;

  private IncrementalOutput(SparkSession spark, String output, String runId, Optional<Dataset<Row>> existing) {
    this.spark = spark;
    this.output = output;
    this.runId = runId;
    this.existing = existing;
  }

  /** Opens the heatmaps table under {@code output}, if there is one. */
  public static IncrementalOutput open(SparkSession spark, String output, String runId) {
    String uri = heatmapsUri(output);
    Path p = new Path(uri);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        return new IncrementalOutput(spark, output, runId, Optional.empty());
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot open the earlier heatmaps at " + uri + ": " + e.getMessage(), e);
    }
    return new IncrementalOutput(spark, output, runId, Optional.of(ResultSchema.readHeatmaps(spark, uri)));
  }

  static String heatmapsUri(String output) {
    return new Path(output, "heatmaps").toString();
  }

  /**
   * Adds {@link ImageRows#DONE_IMAGE_ID} and {@link ImageRows#DONE_METHODS} to the listing: the earlier rows
   * of each path that match the model, the method parameters and the label.
   */
  public Dataset<Row> annotate(Dataset<Row> images, String modelId, Map<String, String> paramsByMethod) {
    if (existing.isEmpty()) {
      return images;
    }
    Column sameParams = lit(false);
    for (Map.Entry<String, String> e : paramsByMethod.entrySet()) {
      sameParams = sameParams.or(col("method").equalTo(e.getKey()).and(col("method_params").equalTo(e.getValue())));
    }
    Dataset<Row> done =
        existing.get()
            .filter(col("model_id").equalTo(modelId).and(sameParams))
            .groupBy(col("path").as("done_path"))
            .agg(
                countDistinct(col("image_id")).as("done_ids"),
                first(col("image_id")).as(ImageRows.DONE_IMAGE_ID),
                first(col("label")).as("done_label"),
                collect_set(col("method")).as(ImageRows.DONE_METHODS))
            // A path with two contents in the table cannot be trusted: explain it again.
            .filter(col("done_ids").equalTo(1));
    Column label =
        List.of(images.columns()).contains(ImageRows.LABEL)
            ? images.col(ImageRows.LABEL)
            : lit(null).cast(DataTypes.StringType);
    Column samePath = images.col(ImageRows.PATH).equalTo(done.col("done_path"));
    return images
        .join(done, samePath.and(label.eqNullSafe(done.col("done_label"))), "left")
        .drop("done_path", "done_ids", "done_label");
  }

  /**
   * Writes the heatmaps of {@code result} into a staging folder beside the table: only the new rows when
   * every earlier row is kept, else the kept and the new rows. {@link #commit()} then moves them in. Runs
   * the explain stage if it has not run.
   *
   * <p>Spark never writes to the table path itself during the run: after a write to a path it re-caches
   * every cached plan that reads that path, and the explain stage's cached rows read the table (to find
   * what to keep). Writing there would make Spark explain everything again against the grown table.
   */
  public void write(SaliencyResult result) {
    Path staging = new Path(output, "_incremental-" + runId);
    String stagedTable = new Path(staging, "heatmaps").toString();
    if (existing.isEmpty()) {
      result.heatmaps().write().mode(SaveMode.Overwrite).partitionBy("method").parquet(stagedTable);
      pending = new Pending(staging, true);
      return;
    }
    Dataset<Row> markers =
        result.rows().filter(col(ResultSchema.KIND).equalTo(ResultSchema.KIND_REUSED)).select(ResultSchema.columns(KEY));
    Dataset<Row> earlier = existing.get();
    long stale = earlier.join(markers, scalaSeq(KEY), "left_anti").count();
    if (stale == 0) {
      result.heatmaps().write().mode(SaveMode.Overwrite).partitionBy("method").parquet(stagedTable);
      pending = new Pending(staging, false);
      return;
    }
    LOG.info("{} earlier heatmap rows cannot be kept: rewriting {}", stale, heatmapsUri(output));
    earlier
        .join(markers, scalaSeq(KEY), "left_semi")
        .select(ResultSchema.columns(ResultSchema.HEATMAP_COLUMNS))
        .unionByName(result.heatmaps())
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy("method")
        .parquet(stagedTable);
    pending = new Pending(staging, true);
  }

  /** What {@link #write} staged: a whole table that replaces the old one, or new files to add to it. */
  private record Pending(Path staging, boolean replace) {}

  /**
   * Moves the staged rows into the table. Call it after everything that reads the explain stage's rows:
   * recomputing them (a lost cache block) reads the earlier table, which changes here.
   */
  public void commit() {
    if (pending == null) {
      return;
    }
    Path table = new Path(heatmapsUri(output));
    try {
      FileSystem fs = table.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (pending.replace()) {
        replace(fs, table, pending.staging());
      } else {
        addFiles(fs, new Path(pending.staging(), "heatmaps"), table);
      }
      fs.delete(pending.staging(), true);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot move the staged heatmaps at " + pending.staging() + " into " + table + ": " + e.getMessage(), e);
    }
    pending = null;
  }

  /** Moves the old table aside, the staged one into place, then deletes the old one. */
  private static void replace(FileSystem fs, Path table, Path staging) throws IOException {
    Path old = new Path(staging, "replaced");
    if (fs.exists(table) && !fs.rename(table, old)) {
      throw new IOException("rename of " + table + " to " + old + " returned false");
    }
    if (!fs.rename(new Path(staging, "heatmaps"), table)) {
      throw new IOException("rename of the staged table to " + table + " returned false; the earlier table is at " + old);
    }
  }

  /** Moves every data file of the staged table into the same method= folder of the table. */
  private static void addFiles(FileSystem fs, Path staged, Path table) throws IOException {
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(staged, true);
    while (files.hasNext()) {
      Path file = files.next().getPath();
      String name = file.getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        continue; // _SUCCESS and checksum files stay behind
      }
      Path target = new Path(new Path(table, file.getParent().getName()), name);
      fs.mkdirs(target.getParent());
      if (!fs.rename(file, target)) {
        throw new IOException("rename of " + file + " to " + target + " returned false");
      }
    }
  }

  private static scala.collection.Seq<String> scalaSeq(List<String> names) {
    return scala.collection.JavaConverters.asScalaBuffer(names).toSeq();
  }
}
