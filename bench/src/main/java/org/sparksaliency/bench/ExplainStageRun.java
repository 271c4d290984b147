package org.sparksaliency.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.model.OwnerClock;
import org.sparksaliency.job.output.RunSummary;
import org.sparksaliency.job.run.SaliencyJob;

/**
 * The job's explain stage in this JVM: {@link SaliencyJob} on the session's {@code local[threads]}
 * with the options {@code bin/saliency run} parses, and the model owner's clocks around it. The
 * executor's model stays loaded between runs, as on a long-lived executor, so a warm run's stage
 * holds no model load; the owner does no work outside the explain stage, so its clocks around the
 * whole run are its clocks over the stage.
 */
final class ExplainStageRun {
  /** The settings both the job and the PyTorch peer use. */
  record Settings(int threads, int batch, int microBatch, int imageSize, int heatmapSize) {}

  private final SparkSession spark;
  private final Settings settings;
  private final Path output;

  ExplainStageRun(SparkSession spark, Settings settings, Path output) {
    this.spark = spark;
    this.settings = settings;
    this.output = output;
  }

  /** Runs the job over the folder with one method and returns its explain stage's figures. */
  StageFigures run(Path model, Path images, String method, String runId) {
    OwnerClock.Reading before = OwnerClock.read();
    RunSummary s =
        SaliencyJob.run(
            spark,
            JobOptions.parse(args(model, images, method, runId).toArray(String[]::new)),
            new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8));
    OwnerClock.Reading after = OwnerClock.read();
    return new StageFigures(
        s.imagesExplained(),
        s.explainSeconds(),
        after.busySecondsSince(before),
        after.engineSecondsSince(before));
  }

  private List<String> args(Path model, Path images, String method, String runId) {
    List<String> a = new ArrayList<>();
    a.addAll(List.of("--input", images.toString(), "--model", model.toString()));
    a.addAll(List.of("--output", output.toString(), "--methods", method, "--run-id", runId));
    a.addAll(List.of("--batch-size", String.valueOf(settings.batch())));
    a.addAll(List.of("--micro-batch-size", String.valueOf(settings.microBatch())));
    a.addAll(List.of("--torch-threads", String.valueOf(settings.threads())));
    a.addAll(List.of("--image-size", String.valueOf(settings.imageSize())));
    a.addAll(List.of("--heatmap-size", String.valueOf(settings.heatmapSize())));
    a.addAll(List.of("--smoothgrad-samples", "16", "--smoothgrad-sigma", "0.15"));
    a.addAll(List.of("--ig-steps", String.valueOf(BenchRun.IG_STEPS), "--ig-baseline", "black"));
    a.add("--quiet");
    return a;
  }
}
