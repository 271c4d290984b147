package org.sparksaliency.job.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.sparksaliency.job.method.BatchExplainer;
import org.sparksaliency.job.method.ImageExplanation;
import org.sparksaliency.job.method.MethodOptions;
import org.sparksaliency.job.model.ModelOwner;
import org.sparksaliency.job.model.TorchModel;

/**
 * Model-only throughput through the job's own path: decoded images handed in batches to the executor's
 * {@link ModelOwner}, which runs {@link BatchExplainer} with the method classes, as {@code ExplainPartition}
 * does, minus reading, decoding and writing.
 */
final class ModelBench {
  /** Runs one batch on the owner thread; the default is the job's call, levers wrap it. */
  interface BatchRun extends BiFunction<TorchModel, List<float[]>, List<ImageExplanation>> {}

  private final ModelOwner owner;
  private final int imageSize;

  ModelBench(ModelOwner owner, int imageSize) {
    this.owner = owner;
    this.imageSize = imageSize;
  }

  BatchExplainer explainer(String method, MethodOptions options, int batch) {
    return new BatchExplainer(List.of(method), options, imageSize, batch);
  }

  /** Images per second over {@code images} in batches of {@code batch}, after two warm-up batches. */
  double imagesPerSecond(BatchExplainer explainer, List<float[]> images, int batch) {
    return imagesPerSecond((model, in) -> explainer.explain(model, in, predicted(in.size())), images, batch);
  }

  double imagesPerSecond(BatchRun run, List<float[]> images, int batch) {
    List<float[]> first = images.subList(0, Math.min(batch, images.size()));
    owner.call(model -> run.apply(model, first));
    owner.call(model -> run.apply(model, first));
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
