package org.sparksaliency.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * One bench-floor run: per model, a warm-up job (the executor loads the model once, as a long-lived
 * executor has), then per method --rounds rounds of the job's explain stage and right after it the
 * PyTorch peer on the same files; then the fixed cost of the sample config in a fresh JVM.
 */
final class FloorBench {
  private final FloorBenchOptions options;
  private final Path home;
  private final PrintStream out;

  FloorBench(FloorBenchOptions options, Path home, PrintStream out) {
    this.options = options;
    this.home = home;
    this.out = out;
  }

  FloorReport measure(FloorReport report) throws Exception {
    BenchAssets assets = new BenchAssets(home, options.cache());
    ExplainStageRun.Settings s = options.settings();
    SparkSession spark = session(s.threads());
    try {
      ExplainStageRun job = new ExplainStageRun(spark, s, options.cache().resolve("floor-output"));
      PytorchBaseline pytorch = new PytorchBaseline(home, s.threads(), out);
      for (String arch : options.models()) {
        BenchAssets.Model model = arch.equals("tiny") ? assets.tiny() : assets.model(arch);
        int count = options.imagesFor(arch);
        Path images = assets.images(count);
        job.run(model.file(), assets.images(s.batch()), "gradient", "floor-warmup-" + arch);
        for (String method : options.methods()) {
          List<StageFigures> jobRounds = new ArrayList<>();
          List<Double> pytorchRounds = new ArrayList<>();
          // Job and peer back to back, round after round: a load change on a shared machine hits
          // both sides of a round alike, and the median round shows the typical ratio.
          for (int round = 1; round <= options.rounds(); round++) {
            StageFigures f = job.run(model.file(), images, method, runId(arch, method));
            out.printf(
                Locale.ROOT,
                "%s %s round %d: job explain stage %d files in %.2f s, %.2f images/s%n",
                arch,
                method,
                round,
                f.images(),
                f.seconds(),
                f.imagesPerSecond());
            jobRounds.add(f);
            pytorchRounds.add(
                options.pytorch()
                    ? pytorch.explainStage(arch, model.file(), images, method, s, count)
                    : Double.NaN);
          }
          report.add(new FloorReport.Row(arch, method, jobRounds, pytorchRounds));
        }
      }
    } finally {
      spark.stop();
    }
    if (options.sampleConfig() != null) {
      report.fixedCost(
          new FixedCost(home)
              .measure(options.sampleConfig(), options.cache().resolve("floor-sample-output")));
    }
    return report;
  }

  private static SparkSession session(int threads) {
    SparkConf conf =
        new SparkConf(true)
            .setIfMissing("spark.master", "local[" + threads + "]")
            .setIfMissing("spark.app.name", "spark-saliency bench-floor")
            .setIfMissing("spark.ui.enabled", "false");
    return SparkSession.builder().config(conf).getOrCreate();
  }

  private static String runId(String arch, String method) {
    return "floor-" + arch + "-" + method.replace('_', '-');
  }
}
