package org.sparksaliency.job.run;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.sparksaliency.job.image.ImageDecoder;
import org.sparksaliency.job.input.ImageLoader;
import org.sparksaliency.job.method.ExplainConfig;
import org.sparksaliency.job.model.Coalescing;
import org.sparksaliency.job.model.HadoopConf;
import org.sparksaliency.job.model.ModelSpec;

/**
 * Everything the stages of a run that use the model (explain, layer statistics, sanity check) need
 * on an executor, resolved once on the driver ({@link Saliency#settings}, which hashes the model)
 * and shipped with each task.
 *
 * @param labels class names by index (empty when no labels file was given)
 * @param createdAtMillis the run's start, written into every row
 * @param coalescing whether the model owner merges concurrent tasks' batches ({@link ExplainQueue})
 */
public record ExplainSettings(
    ExplainConfig explain,
    ModelSpec model,
    List<String> labels,
    long maxFileBytes,
    long maxPixels,
    String runId,
    long createdAtMillis,
    HadoopConf hadoopConf,
    Coalescing coalescing)
    implements Serializable {

  public ExplainSettings {
    Objects.requireNonNull(explain, "explain is null");
    Objects.requireNonNull(model, "model is null");
    labels = List.copyOf(labels);
    Objects.requireNonNull(runId, "runId is null");
    Objects.requireNonNull(hadoopConf, "hadoopConf is null");
    Objects.requireNonNull(coalescing, "coalescing is null");
  }

  /**
   * How every stage reads and decodes its input rows, with the run's sizes and limits (on an
   * executor).
   */
  ImageLoader imageLoader() {
    ImageDecoder decoder =
        new ImageDecoder(
            explain.imageSize(), explain.resize(), explain.mean(), explain.std(), maxPixels);
    return new ImageLoader(decoder, maxFileBytes, hadoopConf.get());
  }

  /** The class name for an index, or null when there is no labels file or it is too short. */
  String className(int index) {
    return index >= 0 && index < labels.size() ? labels.get(index) : null;
  }
}
