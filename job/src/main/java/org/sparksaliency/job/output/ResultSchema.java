package org.sparksaliency.job.output;

import static org.apache.spark.sql.types.DataTypes.BinaryType;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Column layout of the tables. The explain stage emits one combined row type ({@link #RESULT}): a
 * heatmap row per (image, method, target class) or a quarantine row per file (or per (file, method)
 * when only one method failed), or a {@link #KIND_REUSED} marker; {@link #HEATMAP_COLUMNS} and
 * {@link #QUARANTINE_COLUMNS} select the two tables out of it.
 */
public final class ResultSchema {
  public static final String KIND = "kind";
  public static final String KIND_HEATMAP = "heatmap";
  public static final String KIND_QUARANTINE = "quarantine";

  /**
   * Marks a (file, method) whose heatmap row from an earlier run is kept ({@code --incremental}):
   * the file still has the content, label, model and method parameters that row was computed with.
   * Such rows carry only path, image_id, method and the run columns; they never reach a table.
   */
  public static final String KIND_REUSED = "reused";

  /** Heatmap table columns, in order. */
  public static final List<String> HEATMAP_COLUMNS =
      List.of(
          "image_id",
          "path",
          "width",
          "height",
          "label",
          "model_id",
          "target_class",
          "target_rank",
          "target_name",
          "target_score",
          "top_classes",
          "top_scores",
          "heatmap_height",
          "heatmap_width",
          "heatmap_min",
          "heatmap_max",
          "heatmap",
          "sal_mean",
          "sal_entropy",
          "sal_gini",
          "peak_x",
          "peak_y",
          "box_mass",
          "pointing_hit",
          "ig_delta",
          "deletion_auc",
          "insertion_auc",
          "deletion_curve",
          "insertion_curve",
          "method_params",
          "run_id",
          "created_at",
          "method");

  /**
   * Quarantine table columns, in order. {@code method} is null when the file failed before any
   * method.
   */
  public static final List<String> QUARANTINE_COLUMNS =
      List.of(
          "path", "reason", "message", "size_bytes", "method", "image_id", "run_id", "created_at");

  public static final StructType RESULT =
      new StructType(
          new StructField[] {
            createStructField(KIND, StringType, false),
            createStructField("path", StringType, false),
            createStructField("image_id", StringType, true),
            createStructField("size_bytes", LongType, true),
            createStructField("width", IntegerType, true),
            createStructField("height", IntegerType, true),
            createStructField("label", StringType, true),
            createStructField("model_id", StringType, false),
            createStructField("method", StringType, true),
            createStructField("method_params", StringType, true),
            createStructField("target_class", IntegerType, true),
            // The asked-for rank of target_class (1 = top class); null for a class asked for by
            // label or in a class list.
            createStructField("target_rank", IntegerType, true),
            createStructField("target_name", StringType, true),
            createStructField("target_score", FloatType, true),
            createStructField("top_classes", createArrayType(IntegerType, false), true),
            createStructField("top_scores", createArrayType(FloatType, false), true),
            createStructField("heatmap_height", IntegerType, true),
            createStructField("heatmap_width", IntegerType, true),
            createStructField("heatmap_min", FloatType, true),
            createStructField("heatmap_max", FloatType, true),
            createStructField("heatmap", BinaryType, true),
            createStructField("sal_mean", DoubleType, true),
            createStructField("sal_entropy", DoubleType, true),
            createStructField("sal_gini", DoubleType, true),
            createStructField("peak_x", DoubleType, true),
            createStructField("peak_y", DoubleType, true),
            createStructField("box_mass", DoubleType, true),
            createStructField("pointing_hit", BooleanType, true),
            createStructField("ig_delta", DoubleType, true),
            // --evaluate: areas under the deletion and insertion curves; null when not asked for.
            createStructField("deletion_auc", DoubleType, true),
            createStructField("insertion_auc", DoubleType, true),
            // --evaluate: the curves themselves, K + 1 probabilities each (the report plots them).
            createStructField("deletion_curve", createArrayType(FloatType, false), true),
            createStructField("insertion_curve", createArrayType(FloatType, false), true),
            createStructField("reason", StringType, true),
            createStructField("message", StringType, true),
            createStructField("run_id", StringType, false),
            createStructField("created_at", TimestampType, false)
          });

  /** The heatmaps table as written (method last: Spark puts partition columns there). */
  public static final StructType HEATMAPS = select(HEATMAP_COLUMNS);

  private ResultSchema() {}

  /**
   * {@code rows} with exactly {@code schema}'s columns in its order: a column {@code rows} lacks (a
   * table written before it existed) is null, the others cast to the schema's type.
   */
  public static Dataset<Row> conform(Dataset<Row> rows, StructType schema) {
    List<String> have = Arrays.asList(rows.columns());
    Column[] out = new Column[schema.fields().length];
    for (int i = 0; i < out.length; i++) {
      StructField f = schema.fields()[i];
      if (!have.contains(f.name())) {
        out[i] = functions.lit(null).cast(f.dataType()).as(f.name());
      } else if (rows.schema()
          .apply(f.name())
          .dataType()
          .catalogString()
          .equals(f.dataType().catalogString())) {
        // The same type but for nullability (tables read back say every array may hold nulls).
        out[i] = rows.col(f.name());
      } else {
        out[i] = rows.col(f.name()).cast(f.dataType()).as(f.name());
      }
    }
    return rows.select(out);
  }

  private static StructType select(List<String> names) {
    return new StructType(names.stream().map(n -> RESULT.apply(n)).toArray(StructField[]::new));
  }

  /** Index of a column in {@link #RESULT}. */
  public static int index(String column) {
    return RESULT.fieldIndex(column);
  }

  public static int width() {
    return RESULT.fields().length;
  }

  public static Column[] columns(List<String> names) {
    return names.stream().map(functions::col).toArray(Column[]::new);
  }

  static List<String> names() {
    return Arrays.asList(RESULT.fieldNames());
  }
}
