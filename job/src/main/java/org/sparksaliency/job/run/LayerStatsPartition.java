package org.sparksaliency.job.run;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.sparksaliency.job.input.ImageLoader;
import org.sparksaliency.job.input.ImageRow;
import org.sparksaliency.job.layers.LayerStatistics;
import org.sparksaliency.job.method.BatchExplainer;
import org.sparksaliency.job.model.EngineVerdict;

/**
 * The layer-statistics stage for one partition: reads and decodes each image in the task thread as
 * the explain stage does ({@link ImageLoader}) and hands batches to the executor's model owner,
 * which computes per-layer values image by image ({@link LayerStatistics}). Emits one row per
 * (image, layer). Files that cannot be read or decoded are skipped: the explain stage already lists
 * them in the quarantine table.
 */
final class LayerStatsPartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  static final StructType IMAGE_LAYER =
      new StructType()
          .add("predicted_class", "int", false)
          .add("predicted_name", "string", true)
          .add("layer_index", "int", false)
          .add("layer", "string", false)
          .add("mean_abs_weight_grad", "float", true)
          .add("activation_mean", "float", true)
          .add("activation_zero_fraction", "float", true);

  private final ExplainSettings settings;

  LayerStatsPartition(ExplainSettings settings) {
    this.settings = settings;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    Deque<Row> ready = new ArrayDeque<>();
    return new BatchedRows(input, ready, new Task(ready)::nextBatch, FaultInjection.off());
  }

  private final class Task {
    private final Deque<Row> ready;
    private final ImageLoader loader = settings.imageLoader();
    private final LayerStatistics stats =
        new LayerStatistics(settings.explain().imageSize(), settings.explain().microBatchSize());
    private TaskModel model;
    private List<String> layers;

    Task(Deque<Row> ready) {
      this.ready = ready;
    }

    void nextBatch(Iterator<Row> input) {
      List<float[]> images = new ArrayList<>();
      while (images.size() < settings.explain().batchSize() && input.hasNext()) {
        loader.load(ImageRow.of(input.next())).ifPresent(image -> images.add(image.image().chw()));
      }
      if (images.isEmpty()) {
        return;
      }
      List<LayerStatistics.ImageLayers> results =
          model().call(m -> stats.compute(m, layers, images));
      for (LayerStatistics.ImageLayers r : results) {
        for (int l = 0; l < layers.size(); l++) {
          ready.add(
              RowFactory.create(
                  r.predicted(),
                  settings.className(r.predicted()),
                  l,
                  layers.get(l),
                  orNull(r.meanAbsWeightGrad()[l]),
                  orNull(r.activationMean()[l]),
                  orNull(r.activationZeroFraction()[l])));
        }
      }
    }

    private TaskModel model() {
      if (model == null) {
        BatchExplainer explainer =
            new BatchExplainer(
                settings.explain().methods(),
                settings.explain().imageSize(),
                settings.explain().microBatchSize());
        model = TaskModel.acquire(settings, explainer, LayerStatistics::checkModel);
        // The explain stage has checked this executor's engine for the run; batched passes only if
        // they passed.
        if (model.gate(List.of()).status() == EngineVerdict.Status.ONE_SAMPLE_PASSES) {
          stats.useOneSamplePasses();
        }
        layers = model.call(stats::layers);
      }
      return model;
    }
  }

  private static Float orNull(float v) {
    return Float.isNaN(v) ? null : v;
  }
}
