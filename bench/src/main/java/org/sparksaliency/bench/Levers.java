package org.sparksaliency.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.sparksaliency.bench.BenchReport.Lever;
import org.sparksaliency.job.method.BatchExplainer;
import org.sparksaliency.job.method.MethodOptions;
import org.sparksaliency.job.model.ModelOwner;
import org.sparksaliency.job.model.TorchModel;

/**
 * The levers on one model, each timed interleaved with its baseline in the same run: the prediction
 * from the method's own pass, parameters without gradients, intra-op threads, and Grad-CAM against
 * the gradient. Records each in the report and prints it as it is measured.
 */
final class Levers {
  private final BenchOptions options;
  private final BenchReport report;
  private final PrintStream out;

  Levers(BenchOptions options, BenchReport report, PrintStream out) {
    this.options = options;
    this.report = report;
    this.out = out;
  }

  /** The levers of one method at its best batch. */
  void perMethod(
      ModelBench bench,
      ModelOwner owner,
      String arch,
      String method,
      List<float[]> images,
      int batch) {
    BatchExplainer explainer = bench.explainer(method, MethodOptions.DEFAULTS, batch);
    ModelBench.BatchRun job =
        (model, in) -> explainer.explain(model, in, ModelBench.predicted(in.size()));
    // The path before this bench: a separate forward pass (no graph) for the prediction, then the
    // method.
    ModelBench.BatchRun separateForward =
        (model, in) -> {
          forwardWithoutGraph(model, in);
          return explainer.explain(model, in, ModelBench.predicted(in.size()));
        };
    double[] separate = bench.compare(job, separateForward, images, batch);
    record(
        new Lever(
            "prediction from the method's own pass (vs separate forward)",
            arch,
            method,
            separate[1],
            separate[0]));
    if (method.equals("gradient")) {
      ModelBench.BatchRun withWeights =
          (model, in) ->
              model.withParameterGradients(
                  p -> explainer.explain(model, in, ModelBench.predicted(in.size())));
      double[] weights = bench.compare(job, withWeights, images, batch);
      record(
          new Lever(
              "parameters requires_grad=false (vs true)", arch, method, weights[1], weights[0]));
      if (options.threads() > 1) {
        threads(bench, owner, arch, method, images, batch, job);
      }
    }
  }

  /**
   * The target, gradcam >= 2x gradient, measured interleaved: the machine's load changes.
   */
  void gradcamVsGradient(ModelBench bench, String arch, List<float[]> images, int batch) {
    BatchExplainer gradient = bench.explainer("gradient", MethodOptions.DEFAULTS, batch);
    BatchExplainer gradcam = bench.explainer("gradcam", MethodOptions.DEFAULTS, batch);
    double[] g =
        bench.compare(
            (m, in) -> gradient.explain(m, in, ModelBench.predicted(in.size())),
            (m, in) -> gradcam.explain(m, in, ModelBench.predicted(in.size())),
            images,
            batch);
    record(
        new Lever(
            "gradcam (vs gradient), batch " + batch + ", interleaved",
            arch,
            "gradcam",
            g[0],
            g[1]));
  }

  /** Adds the lever to the report and prints it. */
  void record(Lever l) {
    report.add(l);
    out.printf(
        Locale.ROOT,
        "lever %s, %s %s: %.2f -> %.2f images/s (%.2fx)%n",
        l.name(),
        l.model(),
        l.method(),
        l.baseline(),
        l.variant(),
        l.ratio());
  }

  private void threads(
      ModelBench bench,
      ModelOwner owner,
      String arch,
      String method,
      List<float[]> images,
      int batch,
      ModelBench.BatchRun job) {
    int threads = options.threads();
    owner.call(
        m -> {
          JniUtils.setNumThreads(1);
          return null;
        });
    ModelBench.BatchRun oneThread =
        (model, in) -> {
          JniUtils.setNumThreads(1);
          try {
            return job.apply(model, in);
          } finally {
            JniUtils.setNumThreads(threads);
          }
        };
    double[] t = bench.compare(job, oneThread, images, batch);
    record(new Lever("intra-op threads " + threads + " (vs 1)", arch, method, t[1], t[0]));
  }

  private static void forwardWithoutGraph(TorchModel model, List<float[]> in) {
    try (NDManager scope = model.manager().newSubManager()) {
      int size = in.get(0).length;
      float[] data = new float[in.size() * size];
      for (int i = 0; i < in.size(); i++) {
        System.arraycopy(in.get(i), 0, data, i * size, size);
      }
      NDArray x =
          scope.create(data, new Shape(in.size(), 3, BenchRun.IMAGE_SIZE, BenchRun.IMAGE_SIZE));
      model.callWithoutGraph("forward", x).toFloatArray();
    }
  }
}
