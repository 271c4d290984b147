package org.sparksaliency.job.run;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rank;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.sparksaliency.job.input.ImageRows;
import org.sparksaliency.job.method.EvaluateOptions;
import org.sparksaliency.job.model.EngineVerdict;
import org.sparksaliency.job.output.MethodParams;
import org.sparksaliency.job.output.OutputWriter;
import org.sparksaliency.job.output.ResultSchema;

/**
 * {@code --incremental}: heatmaps that earlier runs wrote to the same output are kept instead of
 * computed again. An earlier row is kept when the file at its path still has its bytes (same
 * image_id) and manifest label, and this run uses the same model_id, method and method_params; that
 * image then skips decoding and the model. The run's own {@code run_id} partition still holds every
 * heatmap of the run, kept rows copied (no model work) and new ones computed, so each run stays a
 * complete snapshot: its partition is the table a full run would write (up to float rounding from
 * different batches), changed or deleted files leave no stale row behind, and earlier runs can be
 * deleted.
 */
public final class IncrementalOutput {
  private static final List<String> KEY = List.of("path", "image_id", "method");

  private final Optional<Dataset<Row>> earlier;

  private IncrementalOutput(Optional<Dataset<Row>> earlier) {
    this.earlier = earlier;
  }

  /**
   * The heatmaps of every earlier run under the writer's output (not of this run id: its rerun
   * replaces it).
   */
  public static IncrementalOutput open(SparkSession spark, OutputWriter writer) {
    // The run_id filter prunes this run's own partition: it is never read while being overwritten.
    return new IncrementalOutput(
        writer
            .allRuns(spark, "heatmaps", ResultSchema.HEATMAPS)
            .map(t -> t.filter(col(OutputWriter.RUN_ID).notEqual(writer.runId()))));
  }

  /**
   * Adds {@link ImageRows#DONE_IMAGE_ID} and {@link ImageRows#DONE_METHODS} to the listing: for
   * each path, the earlier rows that match the model, the method parameters and the label.
   */
  public Dataset<Row> annotate(
      Dataset<Row> images, String modelId, Map<String, String> paramsByMethod) {
    return annotate(images, modelId, paramsByMethod, EvaluateOptions.NONE);
  }

  /**
   * As {@link #annotate(Dataset, String, Map)}; with {@code --evaluate}, an earlier row is kept
   * only if it has the AUCs this run asks for (a row written without --evaluate is computed again).
   * The AUCs do not change the map, so they are not part of method_params; a change of
   * --evaluate-steps alone is not detected.
   */
  public Dataset<Row> annotate(
      Dataset<Row> images,
      String modelId,
      Map<String, String> paramsByMethod,
      EvaluateOptions evaluate) {
    if (earlier.isEmpty()) {
      return images;
    }
    // A kept row must have been computed under a passed engine check or its fallback: rows written
    // before the
    // check existed (no engine_check pair) are computed again.
    String verdict = ";" + MethodParams.ENGINE_CHECK + "=";
    Column checked =
        col("method_params")
            .endsWith(verdict + EngineVerdict.Status.PASSED.code())
            .or(
                col("method_params")
                    .endsWith(verdict + EngineVerdict.Status.ONE_SAMPLE_PASSES.code()));
    Column settings = regexp_replace(col("method_params"), verdict + "[a-z_]*$", "");
    Column sameParams = lit(false);
    for (Map.Entry<String, String> e : paramsByMethod.entrySet()) {
      sameParams =
          sameParams.or(col("method").equalTo(e.getKey()).and(settings.equalTo(e.getValue())));
    }
    sameParams = sameParams.and(checked);
    Column hasAucs = lit(true);
    if (evaluate.deletion()) {
      hasAucs = hasAucs.and(col("deletion_auc").isNotNull());
    }
    if (evaluate.insertion()) {
      hasAucs = hasAucs.and(col("insertion_auc").isNotNull());
    }
    Dataset<Row> done =
        earlier
            .get()
            .filter(col("model_id").equalTo(modelId).and(sameParams).and(hasAucs))
            .groupBy(col("path").as("done_path"))
            .agg(
                countDistinct(col("image_id")).as("done_ids"),
                countDistinct(col("label")).as("done_labels"),
                first(col("image_id")).as(ImageRows.DONE_IMAGE_ID),
                first(col("label")).as("done_label"),
                collect_set(col("method")).as(ImageRows.DONE_METHODS))
            // Earlier runs that saw other bytes or another label at this path: explain it again.
            .filter(col("done_ids").equalTo(1).and(col("done_labels").leq(1)));
    Column label =
        List.of(images.columns()).contains(ImageRows.LABEL)
            ? images.col(ImageRows.LABEL)
            : lit(null).cast(DataTypes.StringType);
    Column samePath = images.col(ImageRows.PATH).equalTo(done.col("done_path"));
    return images
        .join(done, samePath.and(label.eqNullSafe(done.col("done_label"))), "left")
        .drop("done_path", "done_ids", "done_labels", "done_label");
  }

  /**
   * The run's heatmaps: the earlier rows the explain stage marked as kept (per path and method, the
   * rows of the most recent run: one per target class), then the new rows of {@code result}. Rows
   * written before target_rank existed explained the predicted class: rank 1.
   */
  public Dataset<Row> heatmaps(SaliencyResult result) {
    return heatmaps(result, UnaryOperator.identity());
  }

  /**
   * As {@link #heatmaps(SaliencyResult)}, with {@code tap} applied to the kept copies and to the
   * result's rows where they enter the returned Dataset (not where the kept markers are read).
   */
  Dataset<Row> heatmaps(SaliencyResult result, UnaryOperator<Dataset<Row>> tap) {
    Dataset<Row> fresh = SaliencyResult.heatmapsOf(tap.apply(result.rows()));
    if (earlier.isEmpty()) {
      return fresh;
    }
    Dataset<Row> kept =
        result
            .rows()
            .filter(col(ResultSchema.KIND).equalTo(ResultSchema.KIND_REUSED))
            .select(ResultSchema.columns(KEY));
    Dataset<Row> copies =
        earlier
            .get()
            .join(kept, KEY.toArray(String[]::new), "left_semi")
            .withColumn(
                "copy_rank",
                rank()
                    .over(
                        Window.partitionBy(col("path"), col("method"))
                            .orderBy(col("created_at").desc(), col(OutputWriter.RUN_ID).desc())))
            .filter(col("copy_rank").equalTo(1))
            .withColumn(
                "target_rank",
                coalesce(
                    col("target_rank"),
                    when(col("method_params").rlike("(^|;)target=predicted(;|$)"), lit(1))))
            .select(ResultSchema.columns(ResultSchema.HEATMAP_COLUMNS));
    return tap.apply(copies).unionByName(fresh);
  }
}
