package org.sparksaliency.job.run;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.stddev_samp;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.sparksaliency.job.input.ImageRows;

/**
 * The layer_stats table: for every (predicted class, layer), the per-image values of {@link
 * LayerStatsPartition} averaged over the images predicted as that class, by Spark aggregation. Runs
 * the model over the images once more (one backward pass per image), independently of the heatmaps.
 */
public final class LayerStatsTable {
  private LayerStatsTable() {}

  /** Lazily: one row per (predicted_class, layer). */
  public static Dataset<Row> compute(
      Dataset<Row> images, ExplainSettings settings, int partitions) {
    Dataset<Row> perImage =
        images
            .repartition(partitions, col(ImageRows.PATH))
            .sortWithinPartitions(col(ImageRows.PATH))
            .mapPartitions(
                new LayerStatsPartition(settings), Encoders.row(LayerStatsPartition.IMAGE_LAYER));
    return perImage
        .groupBy(col("predicted_class"), col("layer_index"), col("layer"))
        .agg(
            first(col("predicted_name"), true).as("predicted_name"),
            count(lit(1)).as("n_images"),
            avg(col("mean_abs_weight_grad")).as("mean_abs_weight_grad"),
            stddev_samp(col("mean_abs_weight_grad")).as("std_abs_weight_grad"),
            avg(col("activation_mean")).as("activation_mean"),
            avg(col("activation_zero_fraction")).as("activation_zero_fraction"))
        .select(
            col("predicted_class"),
            col("predicted_name"),
            col("layer_index"),
            col("layer"),
            col("n_images"),
            col("mean_abs_weight_grad"),
            col("std_abs_weight_grad"),
            col("activation_mean"),
            col("activation_zero_fraction"),
            lit(settings.model().sha256()).as("model_id"),
            lit(settings.runId()).as("run_id"))
        .orderBy(col("predicted_class"), col("layer_index"));
  }
}
