package org.sparksaliency.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.image.DecodedImage;
import org.sparksaliency.job.image.ImageDecoder;
import org.sparksaliency.job.method.BatchExplainer;
import org.sparksaliency.job.method.ExplainConfig;
import org.sparksaliency.job.method.ImageExplanation;
import org.sparksaliency.job.model.ExecutorModels;
import org.sparksaliency.job.model.HadoopConf;
import org.sparksaliency.job.model.ModelFiles;
import org.sparksaliency.job.model.ModelOwner;
import org.sparksaliency.job.model.ModelSpec;

/**
 * Integrated Gradients on the sample model (128×128, 32 steps, black baseline) through the real
 * model owner:
 *
 * <ul>
 *   <li>peak native memory and throughput at micro-batches of 8, 32 and 128 samples (and at 32 with
 *       256 steps, to show the peak does not follow the number of samples), each in a fresh JVM
 *       (fixed, pre-touched Java heap, so the resident-set growth is native memory: libtorch
 *       activations and gradients); peak = VmHWM after resetting it through /proc/self/clear_refs,
 *       minus VmRSS before;
 *   <li>the completeness error |ig_delta| / |f(x) − f(baseline)| at 16 to 256 steps.
 * </ul>
 *
 * Run with {@code bin/bench-ig [images]} (default 16 images); not a test.
 */
public final class IgBenchmark {
  private static final Path ROOT = Path.of(System.getProperty("saliency.root", "."));
  private static final int[] MICRO_BATCHES = {8, 32, 128};
  private static final int[] STEPS = {16, 32, 64, 128, 256};

  private IgBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      child(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      return;
    }
    int images = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    System.out.printf(
        "Integrated Gradients, sample model (128x128), steps + 2 end points per image, %d images, %d CPU threads%n",
        images, Runtime.getRuntime().availableProcessors());
    System.out.printf(
        "%-12s %6s %14s %16s %12s %14s%n",
        "micro-batch", "steps", "peak native MB", "MB per sample", "images/s", "samples/s");
    for (int mb : MICRO_BATCHES) {
      System.out.println(runChild(mb, images, 32));
    }
    // Same micro-batch, 8× the samples per image: the peak must not follow the steps.
    System.out.println(runChild(32, images, 256));
    completeness(images);
  }

  /** One micro-batch size in a fresh JVM: its output line. */
  private static String runChild(int microBatch, int images, int steps)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xms768m", "-Xmx768m", "-XX:+AlwaysPreTouch", "-Dai.djl.offline=true"));
    cmd.add("-Dsaliency.root=" + ROOT.toAbsolutePath());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), IgBenchmark.class.getName()));
    cmd.addAll(
        List.of(
            "child",
            Integer.toString(microBatch),
            Integer.toString(images),
            Integer.toString(steps)));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String last = null;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        last = line;
      }
    }
    if (p.waitFor() != 0 || last == null) {
      throw new IllegalStateException(
          "Cannot measure micro-batch " + microBatch + ": child exited " + p.exitValue());
    }
    return last;
  }

  private static void child(int microBatch, int images, int steps) throws IOException {
    ModelOwner owner = ExecutorModels.acquire(spec(), "cpu", m -> {});
    List<float[]> inputs = sampleImages(images);
    int[] targets = new int[images];
    Arrays.fill(targets, BatchExplainer.PREDICTED);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      ids.add("img-" + i);
    }
    // TorchScript's first runs (profiling, fusion) allocate for themselves: do them at one sample
    // per pass.
    BatchExplainer warm = new BatchExplainer(config(1, 1));
    owner.call(
        m ->
            warm.explain(
                m, inputs.subList(0, 1), new int[] {BatchExplainer.PREDICTED}, ids.subList(0, 1)));
    BatchExplainer explainer =
        new BatchExplainer(config(microBatch, images, "--ig-steps", Integer.toString(steps)));
    System.gc();
    long before = status("VmRSS");
    Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    long start = System.nanoTime();
    owner.call(m -> explainer.explain(m, inputs, targets, ids));
    double seconds = (System.nanoTime() - start) / 1e9;
    long peak = status("VmHWM");
    double mb = (peak - before) / 1024.0;
    System.out.printf(
        "%-12d %6d %14.1f %16.2f %12.2f %14.1f%n",
        microBatch, steps, mb, mb / microBatch, images / seconds, images * (steps + 2) / seconds);
  }

  private static void completeness(int images) {
    ModelOwner owner = ExecutorModels.acquire(spec(), "cpu", m -> {});
    List<float[]> inputs = sampleImages(images);
    int[] targets = new int[images];
    Arrays.fill(targets, BatchExplainer.PREDICTED);
    List<String> ids = java.util.Collections.nCopies(images, "");
    System.out.printf(
        "%nCompleteness error |ig_delta| / |f(x) - f(baseline)|, black baseline, over the same %d images%n",
        images);
    System.out.printf("%-8s %12s %12s %12s%n", "steps", "median", "mean", "max");
    for (int steps : STEPS) {
      BatchExplainer e =
          new BatchExplainer(config(32, images, "--ig-steps", Integer.toString(steps)));
      List<ImageExplanation> out = owner.call(m -> e.explain(m, inputs, targets, ids));
      double[] rel = new double[images];
      for (int i = 0; i < images; i++) {
        double delta = out.get(i).completenessErrors().get("integrated_gradients");
        double total = 0;
        for (float v : out.get(i).maps().get("integrated_gradients")) {
          total += v;
        }
        // sum(attribution) = f(x) − f(b) + delta
        rel[i] = Math.abs(delta) / Math.abs(total - delta);
      }
      Arrays.sort(rel);
      System.out.printf(
          "%-8d %12.2e %12.2e %12.2e%n",
          steps, rel[images / 2], Arrays.stream(rel).average().orElse(0), rel[images - 1]);
    }
  }

  private static ExplainConfig config(int microBatch, int batch, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input",
                "x",
                "--model",
                "x",
                "--output",
                "x",
                "--methods",
                "integrated_gradients",
                "--image-size",
                "128",
                "--micro-batch-size",
                Integer.toString(microBatch),
                "--batch-size",
                Integer.toString(batch)));
    args.addAll(List.of(extra));
    return JobOptions.parse(args.toArray(new String[0])).explain();
  }

  private static ModelSpec spec() {
    String uri =
        ROOT.resolve("sample-data/model/shapes_cnn.pt")
            .toAbsolutePath()
            .normalize()
            .toUri()
            .toString();
    Configuration conf = new Configuration();
    return new ModelSpec(uri, ModelFiles.sha256(uri, conf), 0, new HadoopConf(conf));
  }

  private static List<float[]> sampleImages(int n) {
    ImageDecoder decoder =
        new ImageDecoder(
            128,
            new float[] {0.485f, 0.456f, 0.406f},
            new float[] {0.229f, 0.224f, 0.225f},
            50_000_000L);
    List<float[]> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(ROOT.resolve("sample-data/images"))) {
      for (Path f : files.sorted().limit(n).toList()) {
        out.add(((DecodedImage) decoder.decode(Files.readAllBytes(f))).chw());
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read the sample images: " + e.getMessage(), e);
    }
    return out;
  }

  /** A /proc/self/status field in kB. */
  private static long status(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("Cannot read " + field + " from /proc/self/status");
  }
}
