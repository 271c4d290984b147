package org.sparksaliency.job.run;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.sparksaliency.job.input.ImageRow;
import org.sparksaliency.job.layers.LayerStatistics;
import org.sparksaliency.job.method.BatchExplainer;
import org.sparksaliency.job.method.ImageExplanation;
import org.sparksaliency.job.output.MethodParams;
import org.sparksaliency.job.output.ResultSchema;

/**
 * The explain stage for one partition, lazily a batch at a time: read and decode each row in the
 * task thread ({@link ExplainInput}), explain the batch on the executor's model owner ({@link
 * TaskModel}, {@link BatchExplainer}), summarise the maps into result rows ({@link ExplainOutput}).
 * Files that cannot be used become quarantine rows; the partition never fails for bad input. With
 * {@code --incremental}, a file whose bytes still hash to the image_id of its kept heatmaps gives
 * {@link ResultSchema#KIND_REUSED} markers for those methods.
 */
public final class ExplainPartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final ExplainSettings settings;
  private final JobCounters counters;

  public ExplainPartition(ExplainSettings settings, JobCounters counters) {
    this.settings = settings;
    this.counters = counters;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    Deque<Row> ready = new ArrayDeque<>();
    return new BatchedRows(
        input, ready, new Task(ready)::nextBatch, FaultInjection.forCurrentTask());
  }

  private final class Task {
    private final ExplainOutput output;
    private final ExplainInput reader;
    private final BatchExplainer explainer =
        new BatchExplainer(settings.explain(), EngineGate.faultForCurrentTask());
    private TaskModel model;

    /** method_params of this task's heatmaps: with the engine verdict they were made under. */
    private Map<String, String> checkedParams;

    Task(Deque<Row> ready) {
      this.output = new ExplainOutput(settings, counters, ready::add);
      this.reader = new ExplainInput(settings, output, counters);
    }

    void nextBatch(Iterator<Row> input) {
      List<PendingImage> batch = new ArrayList<>();
      while (batch.size() < settings.explain().batchSize() && input.hasNext()) {
        // Quarantined or reused: no model work left for this file.
        reader
            .prepare(ImageRow.of(input.next()))
            .ifPresentOrElse(batch::add, () -> counters.addDone(1));
      }
      if (batch.isEmpty()) {
        return;
      }
      List<float[]> images = batch.stream().map(PendingImage::chw).toList();
      List<int[]> targets = batch.stream().map(PendingImage::targets).toList();
      List<String> ids = batch.stream().map(p -> p.image().imageId()).toList();
      if (model == null) {
        // Fails before any table is written when the model lacks what --layer-stats needs later.
        model =
            TaskModel.acquire(
                settings,
                explainer,
                m -> {
                  if (settings.explain().layerStats()) {
                    LayerStatistics.checkModel(m);
                  }
                });
        checkedParams =
            MethodParams.withEngineVerdict(
                output.methodParams(), model.gate(images, counters).status());
      }
      List<List<ImageExplanation>> results = model.explain(images, targets, ids);
      counters.addExplained(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        output.explained(batch.get(i), results.get(i), checkedParams);
      }
      counters.addDone(batch.size());
    }
  }
}
