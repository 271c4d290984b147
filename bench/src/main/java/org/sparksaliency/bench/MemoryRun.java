package org.sparksaliency.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.sparksaliency.bench.BenchReport.MemorySample;
import org.sparksaliency.job.method.BatchExplainer;
import org.sparksaliency.job.method.MethodOptions;

/**
 * The long model-only run of {@code --memory-images}: the images cycled through one method at the
 * largest batch, resident memory sampled at 20 points and at the end (a leak shows as a trend).
 */
final class MemoryRun {
  private static final int SAMPLES = 20;

  private final BenchOptions options;
  private final PrintStream out;

  MemoryRun(BenchOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  void measure(BenchReport report, ModelBench bench, List<float[]> images, String method) {
    int batch = options.batchSizes().get(options.batchSizes().size() - 1);
    BatchExplainer explainer = bench.explainer(method, MethodOptions.DEFAULTS, batch);
    ModelBench.BatchRun run =
        (model, in) -> explainer.explain(model, in, ModelBench.predicted(in.size()));
    long total = options.memoryImages();
    long every = Math.max(batch, total / SAMPLES);
    long done = 0;
    long nextSample = 0;
    long start = System.nanoTime();
    while (done < total) {
      if (done >= nextSample) {
        MemorySample s = new MemorySample(done, NativeMemory.rssMiB());
        report.add(s);
        out.printf(
            Locale.ROOT,
            "memory %s: %d images, RSS %.0f MiB, %.1f s%n",
            method,
            done,
            s.rssMiB(),
            (System.nanoTime() - start) / 1e9);
        nextSample += every;
      }
      int from = (int) (done % images.size());
      List<float[]> in = images.subList(from, Math.min(images.size(), from + batch));
      bench.pass(run, in, in.size());
      done += in.size();
    }
    report.add(new MemorySample(done, NativeMemory.rssMiB()));
  }
}
