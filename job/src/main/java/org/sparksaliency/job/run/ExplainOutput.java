package org.sparksaliency.job.run;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;
import org.sparksaliency.job.image.QuarantineReason;
import org.sparksaliency.job.input.LoadedImage;
import org.sparksaliency.job.method.ImageExplanation;
import org.sparksaliency.job.output.MethodParams;
import org.sparksaliency.job.output.ResultRows;
import org.sparksaliency.job.summary.Box;
import org.sparksaliency.job.summary.HeatmapSummary;

/**
 * The explain stage's rows of one task ({@link ResultRows}), handed to a sink in the order they are
 * made: quarantine rows and reused-heatmap markers while the input is read, then per explained
 * image one heatmap row per (method, target class), summarised at the heatmap size ({@link
 * HeatmapSummary}), or a non_finite quarantine row where the model's output or a map holds NaN or
 * infinity. Counts each quarantined file once.
 */
final class ExplainOutput {
  private final ExplainSettings settings;
  private final JobCounters counters;
  private final Consumer<Row> sink;
  private final ResultRows rows;
  private final Map<String, String> methodParams;
  private String lastQuarantined;

  ExplainOutput(ExplainSettings settings, JobCounters counters, Consumer<Row> sink) {
    this.settings = settings;
    this.counters = counters;
    this.sink = sink;
    this.rows =
        new ResultRows(
            settings.model().sha256(),
            settings.runId(),
            settings.createdAtMillis(),
            settings::className);
    this.methodParams = MethodParams.byMethod(settings.explain());
  }

  /** method_params by method, as configured: an engine verdict is added once the task has one. */
  Map<String, String> methodParams() {
    return methodParams;
  }

  void quarantine(
      String path, String imageId, Long size, String method, String reason, String message) {
    // A file's quarantine rows come one after another (before the model, or per method after it):
    // count it once.
    if (!path.equals(lastQuarantined)) {
      counters.addQuarantined(1);
      lastQuarantined = path;
    }
    sink.accept(rows.quarantine(path, imageId, size, method, reason, message));
  }

  void reused(String path, String imageId, String method) {
    sink.accept(rows.reused(path, imageId, method, methodParams.get(method)));
  }

  /**
   * The rows of an explained image, for the methods whose heatmaps are not kept.
   *
   * @param results one per target class, all with the image's prediction
   * @param checkedParams method_params by method, with the engine verdict the maps were made under
   */
  void explained(
      PendingImage pending, List<ImageExplanation> results, Map<String, String> checkedParams) {
    LoadedImage image = pending.image();
    String path = image.row().path();
    if (!results.get(0).prediction().finite()) {
      for (String method : settings.explain().methods()) {
        if (!pending.kept().contains(method)) {
          quarantine(
              path,
              image.imageId(),
              image.size(),
              method,
              QuarantineReason.NON_FINITE.code(),
              "the output of model "
                  + settings.model().uri()
                  + " holds NaN or infinity for this image");
        }
      }
      return;
    }
    for (ImageExplanation result : results) {
      explained(pending, result, results.size() > 1, checkedParams);
    }
  }

  private void explained(
      PendingImage pending,
      ImageExplanation result,
      boolean severalTargets,
      Map<String, String> checkedParams) {
    LoadedImage image = pending.image();
    String path = image.row().path();
    Optional<Box> box = image.row().box();
    for (Map.Entry<String, float[]> e : result.maps().entrySet()) {
      if (pending.kept().contains(e.getKey())) {
        continue;
      }
      // Maps come at ExplainConfig.mapSize(): already at the heatmap grid with squash.
      Optional<HeatmapSummary> summary =
          HeatmapSummary.of(
              e.getValue(),
              settings
                  .explain()
                  .resize()
                  .region(
                      settings.explain().imageSize(),
                      image.image().width(),
                      image.image().height()),
              settings.explain().mapSize(),
              settings.explain().heatmapSize(),
              image.image().width(),
              image.image().height(),
              box);
      if (summary.isEmpty()) {
        quarantine(
            path,
            image.imageId(),
            image.size(),
            e.getKey(),
            QuarantineReason.NON_FINITE.code(),
            "the "
                + e.getKey()
                + " heatmap"
                + (severalTargets ? " of class " + result.target() : "")
                + " of model "
                + settings.model().uri()
                + " holds NaN or infinity");
        continue;
      }
      sink.accept(
          rows.heatmap(image, e.getKey(), result, summary.get(), checkedParams.get(e.getKey())));
    }
  }
}
