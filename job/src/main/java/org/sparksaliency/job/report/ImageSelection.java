package org.sparksaliency.job.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Which images a report row shows: per (method, target class), the {@code k} heatmaps with the
 * highest score ("top") and the {@code k} with the lowest ("worst"), never one image in both. The
 * score is {@code box_mass} (the share of the map inside the labelled object) when the run has
 * boxes, otherwise {@code target_score} (the model's probability of the explained class); rows
 * without a score are not shown.
 */
final class ImageSelection {
  static final String SCORE = "report_score";
  static final String KIND = "report_kind";
  static final String RANK = "report_rank";

  /** What the score is, for the report's text. */
  enum Score {
    BOX_MASS("box_mass", "share of the heatmap inside the labelled box (box_mass)"),
    TARGET_SCORE("target_score", "probability of the explained class (target_score)");

    final String column;
    final String description;

    Score(String column, String description) {
      this.column = column;
      this.description = description;
    }
  }

  private ImageSelection() {}

  /** Box mass when any heatmap of the run has a box, else the target probability. */
  static Score scoreOf(Dataset<Row> heatmaps) {
    return heatmaps.filter(col("box_mass").isNotNull()).limit(1).count() > 0
        ? Score.BOX_MASS
        : Score.TARGET_SCORE;
  }

  /**
   * The selected heatmaps of the given classes, with {@link #KIND} ({@code top} or {@code worst}),
   * {@link #RANK} (1 = highest for top, lowest for worst) and {@link #SCORE}.
   */
  static Dataset<Row> select(Dataset<Row> heatmaps, List<Integer> classes, Score score, int k) {
    Dataset<Row> scored =
        heatmaps
            .filter(col("target_class").isin(classes.toArray()).and(col(score.column).isNotNull()))
            .withColumn(SCORE, col(score.column).cast("double"));
    WindowSpec group = Window.partitionBy(col("method"), col("target_class"));
    // path breaks ties, so the same tables always give the same selection.
    Column high = row_number().over(group.orderBy(col(SCORE).desc(), col("path")));
    Column low = row_number().over(group.orderBy(col(SCORE).asc(), col("path").desc()));
    return scored
        .withColumn("r_high", high)
        .withColumn("r_low", low)
        .filter(col("r_high").leq(k).or(col("r_low").leq(k)))
        .withColumn(KIND, when(col("r_high").leq(k), lit("top")).otherwise(lit("worst")))
        .withColumn(RANK, when(col("r_high").leq(k), col("r_high")).otherwise(col("r_low")))
        .drop("r_high", "r_low");
  }
}
