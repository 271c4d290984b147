package org.sparksaliency.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.sparksaliency.bench.BenchReport.MethodResult;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.output.RunSummary;
import org.sparksaliency.job.run.SaliencyJob;

/**
 * The whole job on {@code local[threads]} over the bench's JPEGs, per model and method measured
 * model only (integrated_gradients aside), with the options {@code bin/saliency run} would parse,
 * in this JVM: the model loaded for the model-only figures is reused, as on an executor.
 */
final class EndToEndBench {
  private final BenchOptions options;
  private final PrintStream out;

  EndToEndBench(BenchOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Replaces each result of the report with one that adds its end-to-end figures. */
  void measure(BenchReport report, Path imageDir) {
    SparkConf conf =
        new SparkConf(true)
            .setIfMissing("spark.master", "local[" + options.threads() + "]")
            .setIfMissing("spark.app.name", "spark-saliency bench")
            .setIfMissing("spark.ui.enabled", "false");
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    try {
      List<MethodResult> done = new ArrayList<>(report.results());
      report.results().clear();
      for (MethodResult r : done) {
        report.add(r.method().equals("integrated_gradients") ? r : measure(spark, r, imageDir));
      }
    } finally {
      spark.stop();
    }
  }

  private MethodResult measure(SparkSession spark, MethodResult r, Path imageDir) {
    Path output = options.cache().resolve("e2e-output");
    Path model = options.cache().resolve(r.model() + ".pt").toAbsolutePath();
    RunSummary s =
        SaliencyJob.run(
            spark,
            JobOptions.parse(
                new String[] {
                  "--input",
                  imageDir.toString(),
                  "--model",
                  model.toString(),
                  "--output",
                  output.toString(),
                  "--methods",
                  r.method(),
                  "--batch-size",
                  String.valueOf(r.bestBatch()),
                  "--micro-batch-size",
                  String.valueOf(r.bestBatch()),
                  "--torch-threads",
                  String.valueOf(options.threads()),
                  "--run-id",
                  "bench-" + r.model() + "-" + r.method().replace('_', '-')
                }));
    double e2e = s.imagesExplained() / s.explainSeconds();
    double total = s.imagesExplained() / s.totalSeconds();
    out.printf(
        Locale.ROOT,
        "%s %s end to end: %.2f images/s explain stage, %.2f images/s whole job (%.1f s)%n",
        r.model(),
        r.method(),
        e2e,
        total,
        s.totalSeconds());
    return new MethodResult(
        r.model(), r.method(), r.gflopPerImage(), r.sweep(), r.pytorch(), e2e, total);
  }
}
