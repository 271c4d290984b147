package org.sparksaliency.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sparksaliency.bench.BenchReport.MethodResult;
import org.sparksaliency.job.method.MethodOptions;
import org.sparksaliency.job.model.ModelOwner;

/**
 * One bench, in order: per model, the batch-size sweep of every method (model only) with its
 * PyTorch baseline, the levers, the bf16 and channels-last models and the long memory run; then the
 * whole job end to end. Each part is its own class; this one decides what runs on which model.
 */
final class BenchRun {
  static final int IMAGE_SIZE = 224;
  static final int IG_STEPS = 32;

  private final BenchOptions options;
  private final Path home;
  private final PrintStream out;

  BenchRun(BenchOptions options, Path home, PrintStream out) {
    this.options = options;
    this.home = home;
    this.out = out;
  }

  BenchReport measure() throws Exception {
    BenchAssets assets = new BenchAssets(home, options.cache());
    Path imageDir = assets.images(options.images());
    List<Path> files = BenchAssets.files(imageDir);
    List<float[]> images = BenchDecoding.decodeAll(files);
    BenchReport report = null;
    for (String arch : options.models()) {
      BenchAssets.Model model = assets.model(arch);
      ModelOwner owner = ModelBench.acquire(model.file(), options.threads());
      if (report == null) {
        report = newReport(owner, files);
      }
      measureModel(report, assets, model, owner, imageDir, images);
    }
    if (options.endToEnd()) {
      new EndToEndBench(options, out).measure(report, imageDir);
    }
    return report;
  }

  /**
   * The report's header: the machine, its derived peak and the peak a matrix product attains
   * through DJL.
   */
  private BenchReport newReport(ModelOwner owner, List<Path> files) throws Exception {
    String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
    CpuPeak cpu = CpuPeak.parse(cpuinfo, Runtime.getRuntime().availableProcessors());
    int threads = options.threads();
    double attainable = MatmulPeak.gflops(owner, 2048, 8);
    BenchReport report =
        new BenchReport(
            String.format(
                Locale.ROOT,
                "%s; %s; bf16 matrix instructions %s (used only by the bf16 lever's model)",
                CpuPeak.modelName(cpuinfo),
                cpu.describe(threads),
                cpu.bf16() ? "present" : "absent"),
            threads,
            cpu.gflops(threads),
            attainable);
    report.note(BenchDecoding.note(files));
    return report;
  }

  private void measureModel(
      BenchReport report,
      BenchAssets assets,
      BenchAssets.Model model,
      ModelOwner owner,
      Path imageDir,
      List<float[]> images)
      throws Exception {
    boolean first = model.arch().equals(options.models().get(0));
    ModelBench bench = new ModelBench(owner, IMAGE_SIZE, options.repeats());
    Levers levers = new Levers(options, report, out);
    for (String method : options.methods()) {
      int best = measureMethod(report, bench, model, imageDir, images, method);
      if (options.levers() && first && !method.equals("integrated_gradients")) {
        levers.perMethod(bench, owner, model.arch(), method, images, best);
      }
    }
    if (options.methods().contains("gradient") && options.methods().contains("gradcam")) {
      levers.gradcamVsGradient(bench, model.arch(), images, largestBatch());
    }
    if (options.levers() && first) {
      new ModelVariants(options, levers).measure(report, assets, model.arch(), owner, images);
    }
    if (options.memoryImages() > 0 && first) {
      new MemoryRun(options, out).measure(report, bench, images, options.methods().get(0));
    }
  }

  /** The batch-size sweep of one method and its PyTorch baseline; returns the best batch. */
  private int measureMethod(
      BenchReport report,
      ModelBench bench,
      BenchAssets.Model model,
      Path imageDir,
      List<float[]> images,
      String method)
      throws Exception {
    boolean ig = method.equals("integrated_gradients");
    List<float[]> in = ig ? images.subList(0, options.igImages()) : images;
    List<Integer> batches = ig ? List.of(largestBatch()) : options.batchSizes();
    Map<Integer, Double> sweep = new LinkedHashMap<>();
    for (int b : batches) {
      double ips = bench.imagesPerSecond(bench.explainer(method, MethodOptions.DEFAULTS, b), in, b);
      sweep.put(b, ips);
      out.printf(
          Locale.ROOT, "%s %s batch %d: %.2f images/s model only%n", model.arch(), method, b, ips);
    }
    double gflop = MethodFlops.perImage(method, model.forwardFlops(), IG_STEPS) / 1e9;
    MethodResult modelOnly =
        new MethodResult(model.arch(), method, gflop, sweep, Double.NaN, Double.NaN, Double.NaN);
    double pytorch =
        options.pytorch()
            ? new PytorchBaseline(home, options.threads(), out)
                .imagesPerSecond(model, imageDir, method, modelOnly.bestBatch(), in.size())
            : Double.NaN;
    report.add(
        new MethodResult(model.arch(), method, gflop, sweep, pytorch, Double.NaN, Double.NaN));
    return modelOnly.bestBatch();
  }

  private int largestBatch() {
    return options.batchSizes().get(options.batchSizes().size() - 1);
  }
}
