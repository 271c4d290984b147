package org.sparksaliency.job.run;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createStructField;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparksaliency.job.input.ImageRows;
import org.sparksaliency.job.method.Seeds;

/**
 * {@code --sanity-check}: the model-parameter randomisation test (Adebayo et al. 2018) on a seeded
 * sample of {@code --sanity-images} images, cascading over {@code --sanity-layers} layers from the
 * output down. A map that explains the model must change when the model's weights do: its Spearman
 * similarity to the map of the trained model should drop. The {@code sanity} table has one row per
 * (image, method, layers randomised); {@code sanity_verdicts} one per (method, layers randomised),
 * passing when the mean |Spearman| is below {@link #PASS_BELOW}.
 */
public final class SanityCheck {
  /**
   * A method passes at a depth when its mean |Spearman| to the trained model's maps is below this.
   * Adebayo et al. report rank correlations near 0 for gradient and Grad-CAM once the head is
   * randomised, and above 0.5 for methods that mostly reproduce the input (Guided Backprop, edge
   * detectors); 0.5 separates the two.
   */
  public static final double PASS_BELOW = 0.5;

  /** The sanity table: one row per (image, method, layers randomised). */
  public static final StructType ROWS =
      new StructType(
          new StructField[] {
            createStructField("image_id", StringType, false),
            createStructField("path", StringType, false),
            createStructField("method", StringType, false),
            createStructField("target_class", IntegerType, false),
            createStructField("layers_randomised", IntegerType, false),
            createStructField("randomised_layer", StringType, false),
            createStructField("spearman", DoubleType, true),
            createStructField("run_id", StringType, false)
          });

  private SanityCheck() {}

  /**
   * The per-image rows, lazily: a seeded sample of {@code images} (by a hash of the path and
   * --seed, so a rerun picks the same images), explained in one task.
   *
   * @param images the rows the explain stage reads ({@link ImageRows}: a path, and a file's bytes
   *     or the raw pixels of Spark's image struct in {@code content}, or only the path for the task
   *     to read)
   */
  public static Dataset<Row> rows(Dataset<Row> images, ExplainSettings settings) {
    int n = settings.explain().evaluate().sanityImages();
    long seed = settings.explain().methodOptions().get(Seeds.SEED);
    return images
        .orderBy(xxhash64(col(ImageRows.PATH), lit(seed)), col(ImageRows.PATH))
        .limit(n)
        .repartition(1)
        .mapPartitions(new SanityPartition(settings), Encoders.row(ROWS));
  }

  /**
   * One row per (method, layers randomised). A map that became constant (no ranking, null spearman)
   * counts as similarity 0 in mean_abs_spearman: it keeps nothing of the original ranking.
   */
  public static Dataset<Row> verdicts(Dataset<Row> rows) {
    return rows.groupBy(col("method"), col("layers_randomised"))
        .agg(
            first(col("randomised_layer")).as("randomised_layer"),
            count(lit(1)).as("n_images"),
            sum(when(col("spearman").isNull(), 1).otherwise(0)).as("n_constant"),
            avg(col("spearman")).as("mean_spearman"),
            avg(coalesce(abs(col("spearman")), lit(0.0))).as("mean_abs_spearman"),
            first(col("run_id")).as("run_id"))
        .withColumn("pass", col("mean_abs_spearman").lt(PASS_BELOW))
        .select(
            col("method"),
            col("layers_randomised"),
            col("randomised_layer"),
            col("n_images"),
            col("n_constant"),
            col("mean_spearman"),
            col("mean_abs_spearman"),
            col("pass"),
            col("run_id"))
        .orderBy(col("method"), col("layers_randomised"));
  }
}
