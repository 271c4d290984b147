package org.sparksaliency.job.run;

import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.image.DecodeFailure;
import org.sparksaliency.job.image.DecodeResult;
import org.sparksaliency.job.image.DecodedImage;
import org.sparksaliency.job.input.ImageLoader;
import org.sparksaliency.job.input.ImageRow;
import org.sparksaliency.job.input.InputFiles;
import org.sparksaliency.job.input.LabelIndex;
import org.sparksaliency.job.input.LoadedImage;
import org.sparksaliency.job.input.RowBytes;
import org.sparksaliency.job.method.BatchExplainer;
import org.sparksaliency.job.method.Target;

/**
 * The explain stage's read → decode step for one input row ({@link ImageLoader}), in the task
 * thread: the image to explain and its target class, or nothing when the row gives rows of its own
 * ({@link ExplainOutput}): a quarantine row for a file that cannot be read or decoded, or has no
 * usable label under {@code --target label}; with {@code --incremental}, a reused marker per method
 * whose heatmap of these bytes is kept, and a file with nothing left to explain is not decoded.
 */
final class ExplainInput {
  /** Quarantine code for --target label when an image has no usable label. */
  static final String NO_LABEL = "no_label";

  private final ExplainSettings settings;
  private final ImageLoader loader;
  private final LabelIndex labels;

  /** The targets of every image, or null under --target label (each image's own). */
  private final int[] fixed;

  private final ExplainOutput output;
  private final JobCounters counters;

  ExplainInput(ExplainSettings settings, ExplainOutput output, JobCounters counters) {
    this.settings = settings;
    this.loader = settings.imageLoader();
    this.labels = new LabelIndex(settings.labels());
    this.fixed = fixedTargets(settings);
    this.output = output;
    this.counters = counters;
  }

  /**
   * The image to explain, or empty when the row has been quarantined or all its heatmaps are kept.
   */
  Optional<PendingImage> prepare(ImageRow row) {
    String path = row.path();
    RowBytes read = loader.read(row);
    if (read instanceof RowBytes.Unreadable u) {
      output.quarantine(path, null, u.size(), null, u.reason().code(), u.message());
      return Optional.empty();
    }
    byte[] bytes = ((RowBytes.Read) read).bytes();
    String imageId = InputFiles.sha256(bytes);
    Set<String> kept = row.keptMethods(imageId, settings.explain().methods());
    for (String method : kept) {
      output.reused(path, imageId, method);
    }
    if (kept.containsAll(settings.explain().methods())) {
      counters.addReused(1);
      return Optional.empty();
    }
    DecodeResult decoded = loader.decode(row, bytes);
    if (decoded instanceof DecodeFailure f) {
      output.quarantine(path, imageId, (long) bytes.length, null, f.reason().code(), f.message());
      return Optional.empty();
    }
    int[] targets = fixed;
    if (targets == null) {
      Optional<Integer> t = labels.of(row.label());
      if (t.isEmpty()) {
        output.quarantine(
            path,
            imageId,
            (long) bytes.length,
            null,
            NO_LABEL,
            "--target label, but the manifest gives no label naming a known class (label: "
                + row.label()
                + ")");
        return Optional.empty();
      }
      targets = new int[] {t.get()};
    }
    LoadedImage image = new LoadedImage(row, imageId, bytes.length, (DecodedImage) decoded);
    return Optional.of(new PendingImage(image, targets, kept));
  }

  /** The ranks of top:K or the classes of class:..., the same for every image; null for label. */
  static int[] fixedTargets(ExplainSettings settings) {
    Target target = settings.explain().target();
    return switch (target.kind()) {
      case LABEL -> null;
      case CLASSES -> target.classIndices(JobOptions.TARGET.name(), settings.labels());
      case TOP -> IntStream.rangeClosed(1, target.k()).map(BatchExplainer::ranked).toArray();
    };
  }
}
