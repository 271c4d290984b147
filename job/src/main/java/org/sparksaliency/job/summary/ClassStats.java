package org.sparksaliency.job.summary;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparksaliency.udf.HeatmapAverage;

/**
 * The class_stats table: one row per (method, target_class, target_rank), by Spark aggregation over
 * the heatmaps. With one target per image (the default) that is a row per (method, class); with
 * {@code --target top:K} a class's rank-1 heatmaps and its rank-2 ones are separate rows, so that
 * {@code n_images} counts images and the means never mix the top class with runners-up; a class of
 * {@code label} or {@code class:...} has a null target_rank.
 */
public final class ClassStats {
  /** The grouping columns: one class_stats row per distinct value of these, first in each row. */
  public static final List<String> GROUP_BY = List.of("method", "target_class", "target_rank");

  private ClassStats() {}

  /**
   * The schema of {@link #compute}'s rows over heatmaps of schema {@code heatmaps} (and of {@link
   * ClassStatsTally#rows()}); analysis only, no Spark job.
   */
  public static StructType schema(SparkSession spark, StructType heatmaps) {
    return compute(spark.createDataFrame(List.of(), heatmaps)).schema();
  }

  /**
   * Over heatmap rows: 1.0 when the label names the target class or, without a labels file, is its
   * index; 0.0 when it does not; null without a label. Its average is {@code label_agreement}.
   */
  public static Column labelAgrees() {
    return when(col("label").isNull(), lit(null).cast(DataTypes.DoubleType))
        .when(
            col("label")
                .equalTo(col("target_name"))
                .or(col("label").equalTo(col("target_class").cast(DataTypes.StringType))),
            lit(1.0))
        .otherwise(lit(0.0));
  }

  public static Dataset<Row> compute(Dataset<Row> heatmaps) {
    UserDefinedFunction meanHeatmap = functions.udaf(new HeatmapAverage(), Encoders.BINARY());
    Column agrees = labelAgrees();
    return heatmaps
        .groupBy(GROUP_BY.stream().map(functions::col).toArray(Column[]::new))
        .agg(
            first(col("target_name"), true).as("target_name"),
            count(lit(1)).as("n_images"),
            avg(col("target_score")).as("mean_score"),
            avg(col("sal_entropy")).as("mean_entropy"),
            stddev_samp(col("sal_entropy")).as("std_entropy"),
            avg(col("sal_gini")).as("mean_gini"),
            stddev_samp(col("sal_gini")).as("std_gini"),
            avg(agrees).as("label_agreement"),
            avg(col("pointing_hit").cast(DataTypes.DoubleType)).as("pointing_accuracy"),
            avg(col("box_mass")).as("mean_box_mass"),
            avg(col("deletion_auc")).as("mean_deletion_auc"),
            avg(col("insertion_auc")).as("mean_insertion_auc"),
            first(col("heatmap_height")).as("heatmap_height"),
            first(col("heatmap_width")).as("heatmap_width"),
            meanHeatmap.apply(col("heatmap")).as("mean"),
            first(col("run_id")).as("run_id"))
        .select(
            Stream.concat(
                    GROUP_BY.stream().map(functions::col),
                    Stream.of(
                        col("target_name"),
                        col("n_images"),
                        col("mean_score"),
                        col("mean_entropy"),
                        col("std_entropy"),
                        col("mean_gini"),
                        col("std_gini"),
                        col("label_agreement"),
                        col("pointing_accuracy"),
                        col("mean_box_mass"),
                        col("mean_deletion_auc"),
                        col("mean_insertion_auc"),
                        col("heatmap_height"),
                        col("heatmap_width"),
                        col("mean.heatmap").as("mean_heatmap"),
                        col("mean.min").as("mean_heatmap_min"),
                        col("mean.max").as("mean_heatmap_max"),
                        col("run_id")))
                .toArray(Column[]::new));
  }
}
