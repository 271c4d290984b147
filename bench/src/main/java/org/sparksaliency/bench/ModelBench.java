package org.sparksaliency.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.hadoop.conf.Configuration;
import org.sparksaliency.job.method.BatchExplainer;
import org.sparksaliency.job.method.ImageExplanation;
import org.sparksaliency.job.method.MethodOptions;
import org.sparksaliency.job.model.ExecutorModels;
import org.sparksaliency.job.model.HadoopConf;
import org.sparksaliency.job.model.ModelFiles;
import org.sparksaliency.job.model.ModelOwner;
import org.sparksaliency.job.model.ModelSpec;
import org.sparksaliency.job.model.TorchModel;

/**
 * Model-only throughput through the job's own path: decoded images handed in batches to the
 * executor's {@link ModelOwner}, which runs {@link BatchExplainer} with the method classes, as
 * {@code ExplainPartition} does, minus reading, decoding and writing.
 */
final class ModelBench {
  /** Runs one batch on the owner thread; the default is the job's call, levers wrap it. */
  interface BatchRun extends BiFunction<TorchModel, List<float[]>, List<ImageExplanation>> {}

  private final ModelOwner owner;
  private final int imageSize;
  private final int repeats;

  /**
   * @param repeats timed passes over the images; the best counts (the machine may be shared)
   */
  ModelBench(ModelOwner owner, int imageSize, int repeats) {
    this.owner = owner;
    this.imageSize = imageSize;
    this.repeats = repeats;
  }

  /** The executor's owner of a local TorchScript file on the CPU, as a task would acquire it. */
  static ModelOwner acquire(Path file, int threads) {
    String uri = file.toString();
    Configuration hadoop = new Configuration();
    return ExecutorModels.acquire(
        new ModelSpec(uri, ModelFiles.sha256(uri, hadoop), threads, new HadoopConf(hadoop)),
        "cpu",
        m -> {});
  }

  BatchExplainer explainer(String method, MethodOptions options, int batch) {
    return new BatchExplainer(List.of(method), options, imageSize, batch);
  }

  /**
   * Images per second over {@code images} in batches of {@code batch}, after two warm-up batches.
   */
  double imagesPerSecond(BatchExplainer explainer, List<float[]> images, int batch) {
    return imagesPerSecond(
        (model, in) -> explainer.explain(model, in, predicted(in.size())), images, batch);
  }

  /** The best of {@code repeats} timed passes, after two warm-up batches. */
  double imagesPerSecond(BatchRun run, List<float[]> images, int batch) {
    return compare(run, run, images, batch)[0];
  }

  /**
   * Best images/s of {@code a} and of {@code b}, their timed passes interleaved (a, b, a, b, ...)
   * so that a change in the machine's load affects both alike.
   */
  double[] compare(BatchRun a, BatchRun b, List<float[]> images, int batch) {
    warmUp(a, images, batch);
    if (b != a) {
      warmUp(b, images, batch);
    }
    double[] best = {0, 0};
    for (int r = 0; r < repeats; r++) {
      best[0] = Math.max(best[0], pass(a, images, batch));
      if (b != a) {
        best[1] = Math.max(best[1], pass(b, images, batch));
      }
    }
    return best;
  }

  private void warmUp(BatchRun run, List<float[]> images, int batch) {
    List<float[]> first = images.subList(0, Math.min(batch, images.size()));
    owner.call(model -> run.apply(model, first));
    owner.call(model -> run.apply(model, first));
  }

  /** One timed pass over the images, without warm-up (the long memory run). */
  double pass(BatchRun run, List<float[]> images, int batch) {
    long start = System.nanoTime();
    for (int from = 0; from < images.size(); from += batch) {
      List<float[]> in = images.subList(from, Math.min(images.size(), from + batch));
      owner.call(model -> run.apply(model, in));
    }
    return images.size() / ((System.nanoTime() - start) / 1e9);
  }

  static int[] predicted(int n) {
    int[] t = new int[n];
    Arrays.fill(t, BatchExplainer.PREDICTED);
    return t;
  }
}
