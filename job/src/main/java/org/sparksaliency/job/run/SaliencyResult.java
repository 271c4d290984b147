package org.sparksaliency.job.run;

import static org.apache.spark.sql.functions.col;

import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.sparksaliency.job.output.ResultSchema;
import org.sparksaliency.job.summary.ClassStats;

/**
 * The lazily computed result of explaining a Dataset of images: the combined rows and the three
 * tables derived from them. Nothing runs until an action; callers that use more than one table
 * should {@link Dataset#persist()} {@link #rows()} first so that model work runs once.
 */
public final class SaliencyResult {
  private final Dataset<Row> rows;
  private final String modelId;
  private final JobCounters counters;

  /**
   * @param rows combined result rows ({@link ResultSchema#RESULT})
   * @param modelId sha-256 of the model file that explains them
   * @param counters the explain stage's counters
   */
  public SaliencyResult(Dataset<Row> rows, String modelId, JobCounters counters) {
    this.rows = Objects.requireNonNull(rows, "rows is null");
    this.modelId = Objects.requireNonNull(modelId, "modelId is null");
    this.counters = Objects.requireNonNull(counters, "counters is null");
  }

  /** What the explain stage did (images explained, images reused); filled in as actions run. */
  public JobCounters counters() {
    return counters;
  }

  /** The sha-256 (hex) of the model file, checked on the driver; every row's {@code model_id}. */
  public String modelId() {
    return modelId;
  }

  /**
   * Heatmap and quarantine rows together, with a {@code kind} column ({@link ResultSchema#RESULT}).
   */
  public Dataset<Row> rows() {
    return rows;
  }

  /** One row per (image, method), columns {@link ResultSchema#HEATMAP_COLUMNS}. */
  public Dataset<Row> heatmaps() {
    return heatmapsOf(rows);
  }

  /** The heatmap rows of combined result rows, columns {@link ResultSchema#HEATMAP_COLUMNS}. */
  static Dataset<Row> heatmapsOf(Dataset<Row> rows) {
    return rows.filter(col(ResultSchema.KIND).equalTo(ResultSchema.KIND_HEATMAP))
        .select(ResultSchema.columns(ResultSchema.HEATMAP_COLUMNS));
  }

  /**
   * Files (or file and method) that gave no heatmap, columns {@link
   * ResultSchema#QUARANTINE_COLUMNS}.
   */
  public Dataset<Row> quarantine() {
    return rows.filter(col(ResultSchema.KIND).equalTo(ResultSchema.KIND_QUARANTINE))
        .select(ResultSchema.columns(ResultSchema.QUARANTINE_COLUMNS));
  }

  /** One row per (method, target_class). */
  public Dataset<Row> classStats() {
    return ClassStats.compute(heatmaps());
  }
}
