package org.sparksaliency.bench;

import org.sparksaliency.job.output.RunSummary;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.sparksaliency.bench.BenchReport.Lever;
import org.sparksaliency.bench.BenchReport.MemorySample;
import org.sparksaliency.bench.BenchReport.MethodResult;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.image.DecodedImage;
import org.sparksaliency.job.image.ImageDecoder;
import org.sparksaliency.job.method.BatchExplainer;
import org.sparksaliency.job.method.ImageExplanation;
import org.sparksaliency.job.method.MethodOptions;
import org.sparksaliency.job.method.MethodRegistry;
import org.sparksaliency.job.model.ExecutorModels;
import org.sparksaliency.job.model.HadoopConf;
import org.sparksaliency.job.model.ModelFiles;
import org.sparksaliency.job.model.ModelOwner;
import org.sparksaliency.job.model.ModelSpec;
import org.sparksaliency.job.run.SaliencyJob;

/**
 * {@code bin/saliency bench}: model-only throughput through the job's model owner, the same against peak
 * FLOP/s, a plain PyTorch baseline on the same model and images, the whole job end to end, levers, and
 * resident memory over a long run. Prints a table and writes the figures as JSON.
 */
public final class BenchCommand {
  static final int IMAGE_SIZE = 224;
  static final int IG_STEPS = 32;
  private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};

  private final BenchOptions options;
  private final Path home;
  private final PrintStream out;

  private BenchCommand(BenchOptions options, Path home, PrintStream out) {
    this.options = options;
    this.home = home;
    this.out = out;
  }

  /** {@code bin/saliency bench [options]}: exits with the code of {@link #run}. */
  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs the bench; returns the exit code (0 done, 1 failed, 2 bad options). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      out.print(BenchOptions.help());
      return 0;
    }
    Path home = Path.of(System.getProperty("saliency.home", ".")).toAbsolutePath();
    BenchOptions options;
    try {
      options = BenchOptions.parse(args, home, Runtime.getRuntime().availableProcessors(), MethodRegistry.names());
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    try {
      BenchReport report = new BenchCommand(options, home, out).measure();
      out.println();
      out.print(report.table());
      Files.createDirectories(options.json().toAbsolutePath().getParent());
      Files.writeString(options.json(), report.json());
      out.println("figures written to " + options.json());
      return 0;
    } catch (Exception e) {
      err.println("Cannot complete bench: " + e);
      e.printStackTrace(err);
      return 1;
    }
  }

  private BenchReport measure() throws Exception {
    CpuPeak cpu = CpuPeak.parse(Files.readString(Path.of("/proc/cpuinfo")), Runtime.getRuntime().availableProcessors());
    int threads = options.threads();
    BenchAssets assets = new BenchAssets(home, options.cache());
    Path imageDir = assets.images(options.images());
    List<Path> files = BenchAssets.files(imageDir);
    List<float[]> images = decodeAll(files);
    BenchReport report = null;
    List<Object[]> toRun = new ArrayList<>();
    for (String arch : options.models()) {
      BenchAssets.Model model = assets.model(arch);
      ModelSpec spec = spec(model.file().toString(), threads);
      ModelOwner owner = ExecutorModels.acquire(spec, "cpu", m -> {});
      if (report == null) {
        double attainable = MatmulPeak.gflops(owner, 2048, 8);
        report = new BenchReport(
            String.format(Locale.ROOT, "%s; %s; bf16 matrix instructions %s (used only by the bf16 lever's model)",
                cpuName(), cpu.describe(threads), cpu.bf16() ? "present" : "absent"),
            threads, cpu.gflops(threads), attainable);
        report.note(decodeNote(files));
      }
      ModelBench bench = new ModelBench(owner, IMAGE_SIZE, options.repeats());
      for (String method : options.methods()) {
        List<float[]> in = method.equals("integrated_gradients") ? images.subList(0, options.igImages()) : images;
        List<Integer> batches = method.equals("integrated_gradients")
            ? List.of(options.batchSizes().get(options.batchSizes().size() - 1)) : options.batchSizes();
        Map<Integer, Double> sweep = new LinkedHashMap<>();
        for (int b : batches) {
          double ips = bench.imagesPerSecond(bench.explainer(method, MethodOptions.DEFAULTS, b), in, b);
          sweep.put(b, ips);
          out.printf(Locale.ROOT, "%s %s batch %d: %.2f images/s model only%n", arch, method, b, ips);
        }
        MethodResult partial = new MethodResult(arch, method,
            MethodFlops.perImage(method, model.forwardFlops(), IG_STEPS) / 1e9, sweep, Double.NaN, Double.NaN, Double.NaN);
        double pytorch = options.pytorch() ? pytorch(model, imageDir, method, partial.bestBatch(), in.size()) : Double.NaN;
        report.add(new MethodResult(arch, method, partial.gflopPerImage(), sweep, pytorch, Double.NaN, Double.NaN));
        if (options.levers() && arch.equals(options.models().get(0)) && !method.equals("integrated_gradients")) {
          levers(report, bench, owner, arch, method, in, partial.bestBatch());
        }
      }
      if (options.methods().contains("gradient") && options.methods().contains("gradcam")) {
        // The target, gradcam >= 2x gradient, measured interleaved: the machine's load changes.
        int batch = options.batchSizes().get(options.batchSizes().size() - 1);
        BatchExplainer gradient = bench.explainer("gradient", MethodOptions.DEFAULTS, batch);
        BatchExplainer gradcam = bench.explainer("gradcam", MethodOptions.DEFAULTS, batch);
        double[] g = bench.compare((m, in) -> gradient.explain(m, in, ModelBench.predicted(in.size())),
            (m, in) -> gradcam.explain(m, in, ModelBench.predicted(in.size())), images, batch);
        add(report, new Lever("gradcam (vs gradient), batch " + batch + ", interleaved", arch, "gradcam", g[0], g[1]));
      }
      if (options.levers() && arch.equals(options.models().get(0))) {
        variants(report, assets, arch, owner, images);
      }
      if (options.memoryImages() > 0 && arch.equals(options.models().get(0))) {
        memory(report, bench, images, options.methods().get(0));
      }
    }
    if (options.endToEnd()) {
      endToEnd(report, imageDir);
    }
    return report;
  }

  private double pytorch(BenchAssets.Model model, Path imageDir, String method, int batch, int count)
      throws Exception {
    String line = Python.run(home, List.of("sample-data/bench_pytorch.py", "--model", model.file().toString(),
        "--images", imageDir.toString(), "--method", method, "--batch", String.valueOf(batch),
        "--threads", String.valueOf(options.threads()), "--count", String.valueOf(count),
        "--steps", String.valueOf(IG_STEPS)));
    double ips = new ObjectMapper().readTree(line).get("images_per_second").asDouble();
    out.printf(Locale.ROOT, "%s %s batch %d: %.2f images/s PyTorch %s%n", model.arch(), method, batch, ips,
        new ObjectMapper().readTree(line).get("torch").asText());
    return ips;
  }

  private void levers(BenchReport report, ModelBench bench, ModelOwner owner, String arch, String method,
      List<float[]> images, int batch) {
    BatchExplainer explainer = bench.explainer(method, MethodOptions.DEFAULTS, batch);
    ModelBench.BatchRun job = (model, in) -> explainer.explain(model, in, ModelBench.predicted(in.size()));
    // The path before this bench: a separate forward pass (no graph) for the prediction, then the method.
    double[] separate = bench.compare(job, (model, in) -> {
      try (NDManager scope = model.manager().newSubManager()) {
        float[] data = new float[in.size() * in.get(0).length];
        for (int i = 0; i < in.size(); i++) {
          System.arraycopy(in.get(i), 0, data, i * in.get(0).length, in.get(0).length);
        }
        NDArray x = scope.create(data, new Shape(in.size(), 3, IMAGE_SIZE, IMAGE_SIZE));
        model.callWithoutGraph("forward", x).toFloatArray();
      }
      return explainer.explain(model, in, ModelBench.predicted(in.size()));
    }, images, batch);
    add(report, new Lever("prediction from the method's own pass (vs separate forward)", arch, method, separate[1],
        separate[0]));
    if (method.equals("gradient")) {
      double[] weights = bench.compare(job,
          (model, in) -> model.withParameterGradients(p -> explainer.explain(model, in, ModelBench.predicted(in.size()))),
          images, batch);
      add(report, new Lever("parameters requires_grad=false (vs true)", arch, method, weights[1], weights[0]));
      int threads = options.threads();
      if (threads > 1) {
        owner.call(m -> {
          JniUtils.setNumThreads(1);
          return null;
        });
        ModelBench.BatchRun oneThread = (model, in) -> {
          JniUtils.setNumThreads(1);
          try {
            return explainer.explain(model, in, ModelBench.predicted(in.size()));
          } finally {
            JniUtils.setNumThreads(threads);
          }
        };
        double[] t = bench.compare(job, oneThread, images, batch);
        add(report, new Lever("intra-op threads " + threads + " (vs 1)", arch, method, t[1], t[0]));
      }
    }
  }

  /**
   * The same weights exported in channels-last memory format and in bf16 (DJL has neither call, so the
   * TorchScript methods convert), against fp32 NCHW at each method's best batch. For bf16, the maps are
   * compared with fp32's on the same images: mean Pearson correlation and top-1 agreement.
   */
  private void variants(BenchReport report, BenchAssets assets, String arch, ModelOwner fp32, List<float[]> images)
      throws Exception {
    for (String variant : List.of("channels_last", "bf16")) {
      BenchAssets.Model model = assets.model(arch, variant);
      ModelOwner owner = ExecutorModels.acquire(spec(model.file().toString(), options.threads()), "cpu", m -> {});
      ModelBench bench = new ModelBench(owner, IMAGE_SIZE, options.repeats());
      for (MethodResult r : report.results()) {
        if (!r.model().equals(arch) || r.method().equals("integrated_gradients")) {
          continue;
        }
        int b = r.bestBatch();
        BatchExplainer explainer = bench.explainer(r.method(), MethodOptions.DEFAULTS, b);
        BatchExplainer reference32 = new ModelBench(fp32, IMAGE_SIZE, 1).explainer(r.method(), MethodOptions.DEFAULTS, b);
        // Two owners: interleave by hand, best of the repeats each.
        double base = 0;
        double ips = 0;
        ModelBench fp32Bench = new ModelBench(fp32, IMAGE_SIZE, 1);
        for (int k = 0; k < options.repeats(); k++) {
          base = Math.max(base, fp32Bench.imagesPerSecond(reference32, images, b));
          ips = Math.max(ips, new ModelBench(owner, IMAGE_SIZE, 1).imagesPerSecond(explainer, images, b));
        }
        add(report, new Lever(variant + " model (vs fp32 NCHW)", arch, r.method(), base, ips));
        if (variant.equals("bf16")) {
          List<float[]> some = images.subList(0, Math.min(b, images.size()));
          BatchExplainer reference = bench.explainer(r.method(), MethodOptions.DEFAULTS, b);
          List<ImageExplanation> want = fp32.call(m -> reference.explain(m, some, ModelBench.predicted(some.size())));
          List<ImageExplanation> got = owner.call(m -> explainer.explain(m, some, ModelBench.predicted(some.size())));
          report.note(MapAgreement.describe(variant + " " + arch + " " + r.method(), want, got, r.method()));
        }
      }
    }
  }

  private void add(BenchReport report, Lever l) {
    report.add(l);
    out.printf(Locale.ROOT, "lever %s, %s %s: %.2f -> %.2f images/s (%.2fx)%n", l.name(), l.model(), l.method(),
        l.baseline(), l.variant(), l.ratio());
  }

  private void memory(BenchReport report, ModelBench bench, List<float[]> images, String method) {
    int batch = options.batchSizes().get(options.batchSizes().size() - 1);
    BatchExplainer explainer = bench.explainer(method, MethodOptions.DEFAULTS, batch);
    long total = options.memoryImages();
    long every = Math.max(batch, total / 20);
    long done = 0;
    long nextSample = 0;
    long start = System.nanoTime();
    while (done < total) {
      if (done >= nextSample) {
        MemorySample s = new MemorySample(done, NativeMemory.rssMiB());
        report.add(s);
        out.printf(Locale.ROOT, "memory %s: %d images, RSS %.0f MiB, %.1f s%n", method, done, s.rssMiB(),
            (System.nanoTime() - start) / 1e9);
        nextSample += every;
      }
      int from = (int) (done % images.size());
      List<float[]> in = images.subList(from, Math.min(images.size(), from + batch));
      bench.pass((model, batchIn) -> explainer.explain(model, batchIn, ModelBench.predicted(batchIn.size())), in, in.size());
      done += in.size();
    }
    report.add(new MemorySample(done, NativeMemory.rssMiB()));
  }

  private void endToEnd(BenchReport report, Path imageDir) throws Exception {
    SparkConf conf = new SparkConf(true).setIfMissing("spark.master", "local[" + options.threads() + "]")
        .setIfMissing("spark.app.name", "spark-saliency bench").setIfMissing("spark.ui.enabled", "false");
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    try {
      List<MethodResult> done = new ArrayList<>(report.results());
      report.results().clear();
      for (MethodResult r : done) {
        if (r.method().equals("integrated_gradients")) {
          report.add(r);
          continue;
        }
        Path output = options.cache().resolve("e2e-output");
        RunSummary s = SaliencyJob.run(spark, JobOptions.parse(new String[] {
            "--input", imageDir.toString(), "--model", options.cache().resolve(r.model() + ".pt").toAbsolutePath().toString(),
            "--output", output.toString(), "--methods", r.method(), "--batch-size", String.valueOf(r.bestBatch()),
            "--micro-batch-size", String.valueOf(r.bestBatch()), "--torch-threads", String.valueOf(options.threads()),
            "--run-id", "bench-" + r.model() + "-" + r.method().replace('_', '-')}));
        double e2e = s.imagesExplained() / s.explainSeconds();
        double total = s.imagesExplained() / s.totalSeconds();
        out.printf(Locale.ROOT, "%s %s end to end: %.2f images/s explain stage, %.2f images/s whole job (%.1f s)%n",
            r.model(), r.method(), e2e, total, s.totalSeconds());
        report.add(new MethodResult(r.model(), r.method(), r.gflopPerImage(), r.sweep(), r.pytorch(), e2e, total));
      }
    } finally {
      spark.stop();
    }
  }

  private List<float[]> decodeAll(List<Path> files) throws Exception {
    ImageDecoder decoder = new ImageDecoder(IMAGE_SIZE, MEAN, STD, 50_000_000L);
    List<float[]> images = new ArrayList<>(files.size());
    for (Path f : files) {
      images.add(((DecodedImage) decoder.decode(Files.readAllBytes(f))).chw());
    }
    return images;
  }

  /** Decode speed of the job's decoder (ImageIO, resize, normalise) in one thread, as a task thread does it. */
  private String decodeNote(List<Path> files) throws Exception {
    ImageDecoder decoder = new ImageDecoder(IMAGE_SIZE, MEAN, STD, 50_000_000L);
    List<byte[]> bytes = new ArrayList<>();
    for (Path f : files) {
      bytes.add(Files.readAllBytes(f));
    }
    for (byte[] b : bytes) {
      decoder.decode(b);
    }
    long start = System.nanoTime();
    for (byte[] b : bytes) {
      decoder.decode(b);
    }
    double ips = bytes.size() / ((System.nanoTime() - start) / 1e9);
    return String.format(Locale.ROOT,
        "decode + resize + normalise of a 224x224 JPEG (ImageDecoder, ImageIO): %.0f images/s in one task thread", ips);
  }

  private static ModelSpec spec(String uri, int threads) {
    Configuration hadoop = new Configuration();
    return new ModelSpec(uri, ModelFiles.sha256(uri, hadoop), threads, new HadoopConf(hadoop));
  }

  private static String cpuName() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
      if (line.startsWith("model name")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return "unknown CPU";
  }
}
