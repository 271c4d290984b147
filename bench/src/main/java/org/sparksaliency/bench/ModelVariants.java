package org.sparksaliency.bench;

import java.util.List;
import org.sparksaliency.bench.BenchReport.Lever;
import org.sparksaliency.bench.BenchReport.MethodResult;
import org.sparksaliency.job.method.BatchExplainer;
import org.sparksaliency.job.method.ImageExplanation;
import org.sparksaliency.job.method.MethodOptions;
import org.sparksaliency.job.model.ModelOwner;

/**
 * The same weights exported in channels-last memory format and in bf16 (DJL has neither call, so
 * the TorchScript methods convert), against fp32 NCHW at each method's best batch. For bf16, the
 * maps are compared with fp32's on the same images: mean Pearson correlation and top-1 agreement.
 */
final class ModelVariants {
  private static final List<String> VARIANTS = List.of("channels_last", "bf16");

  private final BenchOptions options;
  private final Levers levers;

  ModelVariants(BenchOptions options, Levers levers) {
    this.options = options;
    this.levers = levers;
  }

  void measure(
      BenchReport report, BenchAssets assets, String arch, ModelOwner fp32, List<float[]> images)
      throws Exception {
    for (String variant : VARIANTS) {
      BenchAssets.Model model = assets.model(arch, variant);
      ModelOwner owner = ModelBench.acquire(model.file(), options.threads());
      for (MethodResult r : report.results()) {
        if (r.model().equals(arch) && !r.method().equals("integrated_gradients")) {
          measure(report, variant, fp32, owner, r, images);
        }
      }
    }
  }

  private void measure(
      BenchReport report,
      String variant,
      ModelOwner fp32,
      ModelOwner owner,
      MethodResult r,
      List<float[]> images) {
    int b = r.bestBatch();
    ModelBench fp32Bench = new ModelBench(fp32, BenchRun.IMAGE_SIZE, 1);
    ModelBench variantBench = new ModelBench(owner, BenchRun.IMAGE_SIZE, 1);
    BatchExplainer reference = fp32Bench.explainer(r.method(), MethodOptions.DEFAULTS, b);
    BatchExplainer explainer = variantBench.explainer(r.method(), MethodOptions.DEFAULTS, b);
    // Two owners: interleave by hand, best of the repeats each.
    double base = 0;
    double ips = 0;
    for (int k = 0; k < options.repeats(); k++) {
      base = Math.max(base, fp32Bench.imagesPerSecond(reference, images, b));
      ips = Math.max(ips, variantBench.imagesPerSecond(explainer, images, b));
    }
    levers.record(new Lever(variant + " model (vs fp32 NCHW)", r.model(), r.method(), base, ips));
    if (variant.equals("bf16")) {
      List<float[]> some = images.subList(0, Math.min(b, images.size()));
      List<ImageExplanation> want =
          fp32.call(m -> reference.explain(m, some, ModelBench.predicted(some.size())));
      List<ImageExplanation> got =
          owner.call(m -> explainer.explain(m, some, ModelBench.predicted(some.size())));
      report.note(
          MapAgreement.describe(
              variant + " " + r.model() + " " + r.method(), want, got, r.method()));
    }
  }
}
