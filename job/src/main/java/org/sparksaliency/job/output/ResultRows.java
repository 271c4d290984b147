package org.sparksaliency.job.output;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.sparksaliency.job.input.LoadedImage;
import org.sparksaliency.job.method.Faithfulness;
import org.sparksaliency.job.method.ImageExplanation;
import org.sparksaliency.job.summary.HeatmapSummary;

/**
 * Builds the explain stage's rows ({@link ResultSchema#RESULT}) of one run and model: a heatmap, a
 * quarantine or a reused-heatmap marker, each stamped with the run's model_id, run_id and
 * created_at.
 */
public final class ResultRows {
  private final String modelId;
  private final String runId;
  private final Timestamp createdAt;
  private final IntFunction<String> className;

  /**
   * @param className the class name of a class index, or null
   */
  public ResultRows(
      String modelId, String runId, long createdAtMillis, IntFunction<String> className) {
    this.modelId = modelId;
    this.runId = runId;
    this.createdAt = new Timestamp(createdAtMillis);
    this.className = className;
  }

  /** The row of {@code method}'s heatmap of {@code image}, summarised as {@code s}. */
  public Row heatmap(
      LoadedImage image, String method, ImageExplanation r, HeatmapSummary s, String methodParams) {
    Object[] v = new Object[ResultSchema.width()];
    set(v, ResultSchema.KIND, ResultSchema.KIND_HEATMAP);
    set(v, "path", image.row().path());
    set(v, "image_id", image.imageId());
    set(v, "size_bytes", image.size());
    set(v, "width", image.image().width());
    set(v, "height", image.image().height());
    set(v, "label", image.row().label());
    set(v, "model_id", modelId);
    set(v, "method", method);
    set(v, "target_class", r.target());
    set(v, "target_rank", r.rank().isPresent() ? r.rank().getAsInt() : null);
    set(v, "target_name", className.apply(r.target()));
    set(v, "target_score", r.prediction().probabilities()[r.target()]);
    set(v, "top_classes", boxed(r.prediction().topClasses()));
    set(v, "top_scores", boxed(r.prediction().topScores()));
    set(v, "heatmap_height", s.heatmap().height());
    set(v, "heatmap_width", s.heatmap().width());
    set(v, "heatmap_min", s.heatmap().min());
    set(v, "heatmap_max", s.heatmap().max());
    set(v, "heatmap", s.heatmap().bytes());
    set(v, "sal_mean", s.mean());
    set(v, "sal_entropy", s.entropy());
    set(v, "sal_gini", s.gini());
    set(v, "peak_x", s.peakX());
    set(v, "peak_y", s.peakY());
    set(v, "box_mass", s.boxMass().orElse(null));
    set(v, "pointing_hit", s.pointingHit().orElse(null));
    set(v, "ig_delta", r.completenessErrors().get(method));
    Faithfulness f = r.faithfulness().get(method);
    if (f != null) {
      set(v, "deletion_auc", f.deletionAuc());
      set(v, "insertion_auc", f.insertionAuc());
      set(v, "deletion_curve", f.deletion() == null ? null : boxed(floats(f.deletion())));
      set(v, "insertion_curve", f.insertion() == null ? null : boxed(floats(f.insertion())));
    }
    set(v, "method_params", methodParams);
    stamp(v);
    return RowFactory.create(v);
  }

  /**
   * A quarantine row: {@code path} was not explained (for {@code method}, or for every method when
   * null).
   *
   * @param imageId null when the bytes could not be read
   * @param size null when unknown
   */
  public Row quarantine(
      String path, String imageId, Long size, String method, String reason, String message) {
    Object[] v = new Object[ResultSchema.width()];
    set(v, ResultSchema.KIND, ResultSchema.KIND_QUARANTINE);
    set(v, "path", path);
    set(v, "image_id", imageId);
    set(v, "size_bytes", size);
    set(v, "method", method);
    set(v, "reason", reason);
    set(v, "message", message);
    stamp(v);
    return RowFactory.create(v);
  }

  /**
   * {@code --incremental}: {@code method}'s heatmap of these bytes at {@code path} is kept from an
   * earlier run.
   */
  public Row reused(String path, String imageId, String method, String methodParams) {
    Object[] v = new Object[ResultSchema.width()];
    set(v, ResultSchema.KIND, ResultSchema.KIND_REUSED);
    set(v, "path", path);
    set(v, "image_id", imageId);
    set(v, "method", method);
    set(v, "method_params", methodParams);
    stamp(v);
    return RowFactory.create(v);
  }

  private void stamp(Object[] v) {
    set(v, "model_id", modelId);
    set(v, "run_id", runId);
    set(v, "created_at", createdAt);
  }

  private static void set(Object[] values, String column, Object value) {
    values[ResultSchema.index(column)] = value;
  }

  private static float[] floats(double[] a) {
    float[] out = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (float) a[i];
    }
    return out;
  }

  // Spark's Row encoder takes a Scala Seq for array columns.
  private static scala.collection.Seq<Integer> boxed(int[] a) {
    List<Integer> out = new ArrayList<>(a.length);
    for (int v : a) {
      out.add(v);
    }
    return scala.collection.JavaConverters.asScalaBuffer(out).toSeq();
  }

  private static scala.collection.Seq<Float> boxed(float[] a) {
    List<Float> out = new ArrayList<>(a.length);
    for (float v : a) {
      out.add(v);
    }
    return scala.collection.JavaConverters.asScalaBuffer(out).toSeq();
  }
}
