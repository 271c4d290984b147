package org.sparksaliency.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The plain PyTorch baseline: sample-data/bench_pytorch.py, a child process, runs the same method
 * on the same TorchScript file and images with the same threads and batch size: model work only
 * ({@link #imagesPerSecond}), or the explain stage's peer ({@link #explainStage}: the files decoded
 * inside the timing, maps at the heatmap grid).
 */
final class PytorchBaseline {
  private final Path home;
  private final int threads;
  private final PrintStream out;

  PytorchBaseline(Path home, int threads, PrintStream out) {
    this.home = home;
    this.threads = threads;
    this.out = out;
  }

  /** PyTorch's images per second over the first {@code count} images of the folder. */
  double imagesPerSecond(
      BenchAssets.Model model, Path imageDir, String method, int batch, int count)
      throws IOException, InterruptedException {
    String line =
        Python.run(
            home,
            List.of(
                "sample-data/bench_pytorch.py",
                "--model",
                model.file().toString(),
                "--images",
                imageDir.toString(),
                "--method",
                method,
                "--batch",
                String.valueOf(batch),
                "--threads",
                String.valueOf(threads),
                "--count",
                String.valueOf(count),
                "--steps",
                String.valueOf(BenchRun.IG_STEPS)));
    return report(model.arch(), method, batch, line);
  }

  /**
   * The explain stage's peer: the first {@code count} files of the folder read, decoded with PIL,
   * resized and normalised inside the timing, the method batched with the job's settings, its maps
   * area-averaged to the heatmap grid. Returns PyTorch's images per second.
   */
  double explainStage(
      String label, Path model, Path imageDir, String method, ExplainStageRun.Settings s, int count)
      throws IOException, InterruptedException {
    String line =
        Python.run(
            home,
            List.of(
                "sample-data/bench_pytorch.py",
                "--stage",
                "explain",
                "--model",
                model.toString(),
                "--images",
                imageDir.toString(),
                "--method",
                method,
                "--batch",
                String.valueOf(s.batch()),
                "--micro-batch",
                String.valueOf(s.microBatch()),
                "--threads",
                String.valueOf(threads),
                "--count",
                String.valueOf(count),
                "--image-size",
                String.valueOf(s.imageSize()),
                "--heatmap-size",
                String.valueOf(s.heatmapSize()),
                "--steps",
                String.valueOf(BenchRun.IG_STEPS),
                "--smoothgrad-samples",
                "16",
                "--smoothgrad-sigma",
                "0.15"));
    return report(label, method, s.batch(), line);
  }

  private double report(String label, String method, int batch, String line) throws IOException {
    JsonNode result = new ObjectMapper().readTree(line);
    double ips = result.get("images_per_second").asDouble();
    out.printf(
        Locale.ROOT,
        "%s %s batch %d: %.2f images/s PyTorch %s%n",
        label,
        method,
        batch,
        ips,
        result.get("torch").asText());
    return ips;
  }
}
