package org.sparksaliency.job.run;

import org.sparksaliency.job.input.ImageRows;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.sparksaliency.job.image.DecodeResult;
import org.sparksaliency.job.image.DecodedImage;
import org.sparksaliency.job.image.ImageDecoder;
import org.sparksaliency.job.input.InputFiles;
import org.sparksaliency.job.layers.LayerStatistics;
import org.sparksaliency.job.method.BatchExplainer;
import org.sparksaliency.job.model.DeviceSelector;
import org.sparksaliency.job.model.EngineVerdict;
import org.sparksaliency.job.model.ExecutorModels;
import org.sparksaliency.job.model.ModelOwner;
import org.sparksaliency.job.model.TorchModel;

/**
 * The layer-statistics stage for one partition: reads and decodes each image in the task thread and hands
 * batches to the executor's model owner, which computes per-layer values image by image
 * ({@link LayerStatistics}). Emits one row per (image, layer). Files that cannot be read or decoded are
 * skipped: the explain stage already lists them in the quarantine table.
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
    return new Rows(input);
  }

  private final class Rows implements Iterator<Row> {
    private final Iterator<Row> input;
    private final Deque<Row> ready = new ArrayDeque<>();
    private final ImageDecoder decoder;
    private LayerStatistics stats;
    private ModelOwner owner;
    private List<String> layers;

    Rows(Iterator<Row> input) {
      this.input = input;
      this.decoder =
          new ImageDecoder(
              settings.explain().imageSize(), settings.explain().mean(), settings.explain().std(), settings.maxPixels());
      this.stats = new LayerStatistics(settings.explain().imageSize(), settings.explain().microBatchSize());
    }

    @Override
    public boolean hasNext() {
      while (ready.isEmpty() && input.hasNext()) {
        nextBatch();
      }
      return !ready.isEmpty();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
    }

    private void nextBatch() {
      List<float[]> images = new ArrayList<>();
      while (images.size() < settings.explain().batchSize() && input.hasNext()) {
        DecodeResult d = decode(input.next());
        if (d instanceof DecodedImage image) {
          images.add(image.chw());
        }
      }
      if (images.isEmpty()) {
        return;
      }
      ModelOwner o = owner();
      List<LayerStatistics.ImageLayers> results = o.call(model -> stats.compute(model, layers, images));
      for (LayerStatistics.ImageLayers r : results) {
        for (int l = 0; l < layers.size(); l++) {
          ready.add(
              RowFactory.create(
                  r.predicted(), settings.className(r.predicted()), l, layers.get(l),
                  orNull(r.meanAbsWeightGrad()[l]), orNull(r.activationMean()[l]),
                  orNull(r.activationZeroFraction()[l])));
        }
      }
    }

    private ModelOwner owner() {
      if (owner == null) {
        BatchExplainer explainer =
            new BatchExplainer(
                settings.explain().methods(), settings.explain().imageSize(), settings.explain().microBatchSize());
        owner = ExecutorModels.acquire(settings.model(), DeviceSelector.forCurrentTask(), explainer::warmUp);
        // The explain stage has checked this executor's engine for the run; batched passes only if they passed.
        EngineVerdict verdict = EngineGate.apply(owner, explainer, settings, List.of());
        if (verdict.status() == EngineVerdict.Status.ONE_SAMPLE_PASSES) {
          stats = new LayerStatistics(settings.explain().imageSize(), 1);
        }
        layers =
            owner.call(
                (TorchModel model) -> {
                  LayerStatistics.checkModel(model);
                  return stats.layers(model);
                });
      }
      return owner;
    }

    /** The decoded image; a failure or null for files the explain stage quarantines. */
    private DecodeResult decode(Row row) {
      String path = row.getString(row.fieldIndex(ImageRows.PATH));
      try {
        byte[] bytes = contentOf(row, path);
        int type = indexOrMinus(row, ImageRows.PIXEL_TYPE);
        if (type < 0 || row.isNullAt(type)) {
          return decoder.decode(bytes);
        }
        return decoder.decodePixels(
            row.getInt(row.fieldIndex(ImageRows.PIXEL_WIDTH)), row.getInt(row.fieldIndex(ImageRows.PIXEL_HEIGHT)),
            row.getInt(type), bytes);
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }

    private byte[] contentOf(Row row, String path) throws IOException {
      int ci = indexOrMinus(row, ImageRows.CONTENT);
      if (ci >= 0 && !row.isNullAt(ci)) {
        return (byte[]) row.get(ci);
      }
      int li = indexOrMinus(row, ImageRows.LENGTH);
      if (li >= 0 && !row.isNullAt(li) && row.getLong(li) > settings.maxFileBytes()) {
        throw new IOException("larger than --max-file-bytes");
      }
      return InputFiles.read(path, settings.hadoopConf().get(), settings.maxFileBytes());
    }
  }

  private static Float orNull(float v) {
    return Float.isNaN(v) ? null : v;
  }

  private static int indexOrMinus(Row row, String name) {
    try {
      return row.fieldIndex(name);
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }
}
