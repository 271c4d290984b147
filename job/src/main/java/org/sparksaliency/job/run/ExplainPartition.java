package org.sparksaliency.job.run;

import org.sparksaliency.job.input.ImageRows;
import org.sparksaliency.job.output.MethodParams;
import org.sparksaliency.job.output.ResultSchema;
import org.sparksaliency.job.summary.Box;
import org.sparksaliency.job.summary.HeatmapSummary;

import java.io.IOException;
import java.sql.Timestamp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.sparksaliency.job.method.Target;
import org.sparksaliency.job.image.DecodeFailure;
import org.sparksaliency.job.image.DecodeResult;
import org.sparksaliency.job.image.DecodedImage;
import org.sparksaliency.job.image.ImageDecoder;
import org.sparksaliency.job.image.QuarantineReason;
import org.sparksaliency.job.input.InputFiles;
import org.sparksaliency.job.layers.LayerStatistics;
import org.sparksaliency.job.method.BatchExplainer;
import org.sparksaliency.job.method.Faithfulness;
import org.sparksaliency.job.method.ImageExplanation;
import org.sparksaliency.job.model.DeviceSelector;
import org.sparksaliency.job.model.EngineVerdict;
import org.sparksaliency.job.model.ExecutorModels;
import org.sparksaliency.job.model.ModelOwner;
import org.sparksaliency.job.model.TorchModel;

/**
 * The explain stage for one partition: reads each file, hashes and decodes it in the task thread, hands
 * batches of decoded images to the executor's model owner, and emits result rows lazily, a batch at a
 * time. Files that cannot be used become quarantine rows; the partition never fails for bad input. With
 * {@code --incremental}, a file whose bytes still hash to the image_id of its kept heatmaps is not decoded or
 * explained again for those methods: it gives {@link ResultSchema#KIND_REUSED} markers instead.
 */
public final class ExplainPartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  /** Quarantine code for --target label when an image has no usable label. */
  public static final String NO_LABEL = "no_label";

  private final ExplainSettings settings;
  private final JobCounters counters;

  public ExplainPartition(ExplainSettings settings, JobCounters counters) {
    this.settings = settings;
    this.counters = counters;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    return new Rows(input);
  }

  /**
   * One decoded image waiting for the model.
   *
   * @param done methods whose heatmap from an earlier run is kept (not emitted again)
   */
  private record Pending(Row source, String imageId, long size, DecodedImage image, int target, Set<String> done) {}

  private final class Rows implements Iterator<Row> {
    private final Iterator<Row> input;
    private final Deque<Row> ready = new ArrayDeque<>();
    private final ImageDecoder decoder;
    private final BatchExplainer explainer;
    private final Timestamp createdAt = new Timestamp(settings.createdAtMillis());
    private final Map<String, String> methodParams = MethodParams.byMethod(settings.explain());
    /** method_params of this task's heatmaps: {@link #methodParams} with the engine verdict they were made under. */
    private Map<String, String> checkedParams;
    private final FaultInjection fault = FaultInjection.forCurrentTask();
    private long emitted;
    private String lastQuarantined;
    private ModelOwner owner;

    Rows(Iterator<Row> input) {
      this.input = input;
      this.decoder =
          new ImageDecoder(
              settings.explain().imageSize(), settings.explain().mean(), settings.explain().std(), settings.maxPixels());
      this.explainer = new BatchExplainer(settings.explain(), EngineGate.faultForCurrentTask());
    }

    @Override
    public boolean hasNext() {
      while (ready.isEmpty() && input.hasNext()) {
        nextBatch();
      }
      boolean more = !ready.isEmpty();
      fault.check(emitted, more);
      return more;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      emitted++;
      return ready.poll();
    }

    private void nextBatch() {
      List<Pending> batch = new ArrayList<>();
      while (batch.size() < settings.explain().batchSize() && input.hasNext()) {
        Optional<Pending> p = prepare(input.next());
        if (p.isPresent()) {
          batch.add(p.get());
        } else {
          counters.addDone(1); // quarantined or reused: no model work left for this file
        }
      }
      if (batch.isEmpty()) {
        return;
      }
      List<float[]> images = batch.stream().map(p -> p.image().chw()).toList();
      int[] targets = batch.stream().mapToInt(Pending::target).toArray();
      List<String> ids = batch.stream().map(Pending::imageId).toList();
      if (checkedParams == null) {
        EngineVerdict verdict = EngineGate.apply(owner(), explainer, settings, images, counters);
        checkedParams = MethodParams.withEngineVerdict(methodParams, verdict.status());
      }
      List<ImageExplanation> results = owner().call(model -> explainer.explain(model, images, targets, ids));
      counters.addExplained(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        emit(batch.get(i), results.get(i));
      }
      counters.addDone(batch.size());
    }

    private ModelOwner owner() {
      if (owner == null) {
        owner =
            ExecutorModels.acquire(settings.model(), DeviceSelector.forCurrentTask(), explainer::warmUp);
        owner.call(
            (TorchModel model) -> {
              explainer.checkModel(model);
              if (settings.explain().layerStats()) {
                LayerStatistics.checkModel(model); // fail before any table is written
              }
              return null;
            });
      }
      return owner;
    }

    /** Reads, hashes and decodes one file; a file that cannot be used becomes a quarantine row. */
    private Optional<Pending> prepare(Row row) {
      String path = row.getString(row.fieldIndex(ImageRows.PATH));
      long declared = lengthOf(row);
      if (declared > settings.maxFileBytes()) {
        quarantine(
            path, null, declared, null, QuarantineReason.TOO_LARGE.code(),
            String.format("file has %d bytes, more than --max-file-bytes %d", declared, settings.maxFileBytes()));
        return Optional.empty();
      }
      byte[] bytes;
      try {
        bytes = contentOf(row, path);
      } catch (IOException | RuntimeException e) {
        quarantine(path, null, declared, null, QuarantineReason.READ_FAILED.code(), "cannot read file: " + e);
        return Optional.empty();
      }
      if (bytes.length > settings.maxFileBytes()) {
        quarantine(
            path, null, (long) bytes.length, null, QuarantineReason.TOO_LARGE.code(),
            String.format("file has %d bytes, more than --max-file-bytes %d", bytes.length, settings.maxFileBytes()));
        return Optional.empty();
      }
      String imageId = InputFiles.sha256(bytes);
      Set<String> done = reusedMethods(row, imageId);
      for (String method : done) {
        reused(path, imageId, method);
      }
      if (done.containsAll(settings.explain().methods())) {
        counters.addReused(1);
        return Optional.empty();
      }
      DecodeResult decoded = decode(row, bytes);
      if (decoded instanceof DecodeFailure f) {
        quarantine(path, imageId, (long) bytes.length, null, f.reason().code(), f.message());
        return Optional.empty();
      }
      int target = BatchExplainer.PREDICTED;
      if (settings.explain().target() == Target.LABEL) {
        Optional<Integer> t = labelIndex(row);
        if (t.isEmpty()) {
          quarantine(
              path, imageId, (long) bytes.length, null, NO_LABEL,
              "--target label, but the manifest gives no label naming a known class (label: " + label(row) + ")");
          return Optional.empty();
        }
        target = t.get();
      }
      return Optional.of(new Pending(row, imageId, bytes.length, (DecodedImage) decoded, target, done));
    }

    /** The methods whose earlier heatmap of this path was computed from these very bytes. */
    private Set<String> reusedMethods(Row row, String imageId) {
      int ii = indexOrMinus(row, ImageRows.DONE_IMAGE_ID);
      if (ii < 0 || row.isNullAt(ii) || !imageId.equals(row.getString(ii))) {
        return Set.of();
      }
      int mi = row.fieldIndex(ImageRows.DONE_METHODS);
      Set<String> done = new HashSet<>(row.<String>getList(mi));
      done.retainAll(settings.explain().methods());
      return done;
    }

    /** Raw pixels from Spark's image struct (see {@link ImageRows#PIXEL_TYPE}), or a file's bytes. */
    private DecodeResult decode(Row row, byte[] bytes) {
      int type = indexOrMinus(row, ImageRows.PIXEL_TYPE);
      if (type < 0 || row.isNullAt(type)) {
        return decoder.decode(bytes);
      }
      return decoder.decodePixels(
          row.getInt(row.fieldIndex(ImageRows.PIXEL_WIDTH)), row.getInt(row.fieldIndex(ImageRows.PIXEL_HEIGHT)),
          row.getInt(type), bytes);
    }

    private void emit(Pending p, ImageExplanation result) {
      Row src = p.source();
      String path = src.getString(src.fieldIndex(ImageRows.PATH));
      if (!result.prediction().finite()) {
        for (String method : settings.explain().methods()) {
          if (!p.done().contains(method)) {
            quarantine(path, p.imageId(), p.size(), method, QuarantineReason.NON_FINITE.code(),
                "the output of model " + settings.model().uri() + " holds NaN or infinity for this image");
          }
        }
        return;
      }
      Optional<Box> box = boxOf(src);
      DecodedImage image = p.image();
      for (Map.Entry<String, float[]> e : result.maps().entrySet()) {
        if (p.done().contains(e.getKey())) {
          continue;
        }
        Optional<HeatmapSummary> summary =
            HeatmapSummary.of(
                e.getValue(), settings.explain().imageSize(), settings.explain().heatmapSize(),
                image.width(), image.height(), box);
        if (summary.isEmpty()) {
          quarantine(path, p.imageId(), p.size(), e.getKey(), QuarantineReason.NON_FINITE.code(),
              "the " + e.getKey() + " heatmap of model " + settings.model().uri() + " holds NaN or infinity");
          continue;
        }
        ready.add(heatmapRow(p, path, label(src), e.getKey(), result, summary.get()));
      }
    }

    private Row heatmapRow(
        Pending p, String path, String label, String method, ImageExplanation r, HeatmapSummary s) {
      Object[] v = new Object[ResultSchema.width()];
      set(v, ResultSchema.KIND, ResultSchema.KIND_HEATMAP);
      set(v, "path", path);
      set(v, "image_id", p.imageId());
      set(v, "size_bytes", p.size());
      set(v, "width", p.image().width());
      set(v, "height", p.image().height());
      set(v, "label", label);
      set(v, "model_id", settings.model().sha256());
      set(v, "method", method);
      set(v, "target_class", r.target());
      set(v, "target_name", settings.className(r.target()));
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
      }
      set(v, "method_params", checkedParams.get(method));
      set(v, "run_id", settings.runId());
      set(v, "created_at", createdAt);
      return RowFactory.create(v);
    }

    private void quarantine(String path, String imageId, Long size, String method, String reason, String message) {
      // A file's quarantine rows come one after another (before the model, or per method after it): count it once.
      if (!path.equals(lastQuarantined)) {
        counters.addQuarantined(1);
        lastQuarantined = path;
      }
      Object[] v = new Object[ResultSchema.width()];
      set(v, ResultSchema.KIND, ResultSchema.KIND_QUARANTINE);
      set(v, "path", path);
      set(v, "image_id", imageId);
      set(v, "size_bytes", size);
      set(v, "model_id", settings.model().sha256());
      set(v, "method", method);
      set(v, "reason", reason);
      set(v, "message", message);
      set(v, "run_id", settings.runId());
      set(v, "created_at", createdAt);
      ready.add(RowFactory.create(v));
    }

    private void reused(String path, String imageId, String method) {
      Object[] v = new Object[ResultSchema.width()];
      set(v, ResultSchema.KIND, ResultSchema.KIND_REUSED);
      set(v, "path", path);
      set(v, "image_id", imageId);
      set(v, "model_id", settings.model().sha256());
      set(v, "method", method);
      set(v, "method_params", methodParams.get(method));
      set(v, "run_id", settings.runId());
      set(v, "created_at", createdAt);
      ready.add(RowFactory.create(v));
    }

    private byte[] contentOf(Row row, String path) throws IOException {
      int ci = indexOrMinus(row, ImageRows.CONTENT);
      if (ci >= 0 && !row.isNullAt(ci)) {
        return (byte[]) row.get(ci);
      }
      return InputFiles.readAtMost(path, settings.hadoopConf().get(), settings.maxFileBytes());
    }

    private long lengthOf(Row row) {
      int li = indexOrMinus(row, ImageRows.LENGTH);
      if (li >= 0 && !row.isNullAt(li)) {
        return row.getLong(li);
      }
      int ci = indexOrMinus(row, ImageRows.CONTENT);
      return ci >= 0 && !row.isNullAt(ci) ? ((byte[]) row.get(ci)).length : -1;
    }

    private Optional<Integer> labelIndex(Row row) {
      String label = label(row);
      if (label == null) {
        return Optional.empty();
      }
      int byName = settings.labels().indexOf(label);
      if (byName >= 0) {
        return Optional.of(byName);
      }
      if (settings.labels().isEmpty()) {
        try {
          return Optional.of(Integer.parseInt(label.trim()));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
      return Optional.empty();
    }
  }

  private static String label(Row row) {
    int li = indexOrMinus(row, ImageRows.LABEL);
    return li >= 0 && !row.isNullAt(li) ? row.getString(li) : null;
  }

  private static Optional<Box> boxOf(Row row) {
    int x0 = indexOrMinus(row, ImageRows.BOX_X0);
    if (x0 < 0) {
      return Optional.empty();
    }
    int y0 = row.fieldIndex(ImageRows.BOX_Y0);
    int x1 = row.fieldIndex(ImageRows.BOX_X1);
    int y1 = row.fieldIndex(ImageRows.BOX_Y1);
    if (row.isNullAt(x0) || row.isNullAt(y0) || row.isNullAt(x1) || row.isNullAt(y1)) {
      return Optional.empty();
    }
    return Optional.of(new Box(row.getDouble(x0), row.getDouble(y0), row.getDouble(x1), row.getDouble(y1)));
  }

  private static int indexOrMinus(Row row, String name) {
    try {
      return row.fieldIndex(name);
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  private static void set(Object[] values, String column, Object value) {
    values[ResultSchema.index(column)] = value;
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
