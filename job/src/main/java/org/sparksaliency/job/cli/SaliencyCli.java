package org.sparksaliency.job.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.sparksaliency.job.config.JobConfig;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.config.OptionsReference;
import org.sparksaliency.job.config.TableFormat;
import org.sparksaliency.job.model.EnginePreload;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.output.OutputWriter;
import org.sparksaliency.job.output.QuarantineRatioException;
import org.sparksaliency.job.output.RunSummary;
import org.sparksaliency.job.output.TableSinks;
import org.sparksaliency.job.report.HtmlReport;
import org.sparksaliency.job.run.SaliencyJob;

/**
 * {@code bin/saliency run [options]}: validates every option on the driver, then runs the job. Exit
 * codes: 0 done, 1 the job failed, 2 bad options.
 */
public final class SaliencyCli {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int BAD_OPTIONS = 2;

  private SaliencyCli() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != OK) {
      System.exit(code);
    }
  }

  /** Runs the command and returns its exit code, printing only to the given streams. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || isHelp(args[0])) {
      out.print(usage());
      return args.length == 0 ? BAD_OPTIONS : OK;
    }
    if ("visualize".equals(args[0])) {
      return VisualizeCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
    }
    if (!"run".equals(args[0])) {
      err.println(
          "Cannot run '" + args[0] + "': unknown command; known: run, visualize (see --help)");
      return BAD_OPTIONS;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (rest.length > 0 && isHelp(rest[0])) {
      out.print(OptionsReference.help());
      return OK;
    }
    JobConfig config;
    try {
      config = JobOptions.parse(rest);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return BAD_OPTIONS;
    }
    SparkSession spark = session(config);
    try {
      RunSummary s = SaliencyJob.run(spark, config, out);
      out.print(format(s));
      printTables(spark, config, out);
      printReport(config, s, out);
      if (config.explain().layerStats()) {
        out.printf("  %-22s layer_stats/ under run_id=%s%n", "per-layer statistics", s.runId());
      }
      return OK;
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return BAD_OPTIONS;
    } catch (QuarantineRatioException e) {
      // Everything was written: show what, then why the run still counts as failed.
      out.print(format(e.summary()));
      printReport(config, e.summary(), out);
      err.println(e.getMessage());
      return FAILED;
    } catch (Exception e) {
      // Spark's own failures (SparkException) are checked exceptions thrown from Scala.
      err.println("Cannot complete run " + config.output().runId() + ": " + rootMessage(e));
      return FAILED;
    } finally {
      spark.stop();
    }
  }

  /** Delta and Iceberg: where the tables are (the output line names the Parquet folders). */
  private static void printTables(SparkSession spark, JobConfig config, PrintStream out) {
    if (config.output().format() != TableFormat.PARQUET) {
      OutputWriter w = OutputWriter.of(spark, config.output());
      out.printf(
          "  %-22s %s: %s, %s, %s (run_id=%s)%n",
          "tables",
          config.output().format().code(),
          w.location("heatmaps"),
          w.location("class_stats"),
          w.location("quarantine"),
          config.output().runId());
    }
  }

  private static void printReport(JobConfig config, RunSummary s, PrintStream out) {
    if (config.report().enabled()) {
      out.printf(
          "  %-22s %s%n", "report", HtmlReport.index(new OutputWriter(s.output(), s.runId())));
    }
  }

  static SparkSession session(JobConfig config) {
    SparkConf conf = new SparkConf(true);
    if (!conf.contains("spark.master")) {
      conf.setMaster(config.master().orElse("local[*]"));
    }
    conf.setIfMissing("spark.app.name", "spark-saliency " + config.output().runId());
    conf.setIfMissing("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    TableSinks.configure(conf, config.output().format());
    if (conf.get("spark.master").startsWith("local")) {
      LocalSession.configure(conf);
      // The executor is this JVM: libtorch loads while Spark starts.
      EnginePreload.start();
    }
    return SparkSession.builder().config(conf).getOrCreate();
  }

  static String format(RunSummary s) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            "spark-saliency %s: %d images in %.1f s (%.2f images/s explained)%n",
            s.runId(), s.inputFiles(), s.totalSeconds(), s.imagesPerSecond()));
    for (Map.Entry<String, Long> e : s.heatmapsByMethod().entrySet()) {
      sb.append(String.format("  %-22s %d heatmaps", e.getKey(), e.getValue()));
      Double pointing = s.pointingByMethod().get(e.getKey());
      if (pointing != null) {
        sb.append(String.format(Locale.ROOT, ", pointing accuracy %.3f", pointing));
      }
      sb.append(System.lineSeparator());
    }
    if (s.imagesReused() > 0) {
      sb.append(
          String.format(
              "  %-22s %d images (heatmaps kept from an earlier run)%n",
              "reused", s.imagesReused()));
    }
    if (s.skippedFiles() > 0) {
      sb.append(
          String.format(
              "  %-22s %d files not matching --input-glob (e.g. %s)%n",
              "skipped",
              s.skippedFiles(),
              String.join(", ", s.skippedExamples().stream().map(SaliencyCli::fileName).toList())));
    }
    if (!s.engineVerdicts().isEmpty()) {
      sb.append(String.format("  %-22s %s%n", "engine check", engineLine(s)));
    }
    sb.append(String.format("  %-22s %d files", "quarantined", s.quarantinedFiles()));
    if (!s.quarantinedByReason().isEmpty()) {
      sb.append(" ").append(s.quarantinedByReason());
    }
    sb.append(System.lineSeparator());
    sb.append(
        String.format(
            "  %-22s %s (heatmaps/, class_stats/, quarantine/ under run_id=%s; runs/%s/run.json)%n",
            "output", s.output(), s.runId(), s.runId()));
    return sb.toString();
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static String engineLine(RunSummary s) {
    Map<String, Long> counts = s.engineVerdictCounts();
    String all =
        counts.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(java.util.stream.Collectors.joining(", "));
    if (counts.keySet().stream().allMatch("passed"::equals)) {
      return "passed (" + all + " checks; batched passes = one-sample passes)";
    }
    return "BATCHED PASSES FAILED, one sample per pass on the executors that failed ("
        + all
        + " checks; see engine_check in run.json)";
  }

  /**
   * The innermost message that says what went wrong, on one line (Spark wraps task failures
   * deeply).
   */
  static String rootMessage(Throwable e) {
    Throwable t = e;
    Throwable best = e;
    while (t != null) {
      if (t.getMessage() != null && t.getMessage().startsWith("Cannot ")) {
        best = t;
      }
      t = t.getCause();
    }
    String m = best.getMessage() == null ? best.toString() : best.getMessage();
    if (best == e && m.contains("Cannot ")) {
      m = m.substring(m.indexOf("Cannot "));
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static boolean isHelp(String a) {
    return "--help".equals(a) || "-h".equals(a) || "help".equals(a);
  }

  private static String usage() {
    return "Usage: bin/saliency <command> [options]\n\nCommands:\n"
        + "  run        explain every image under --input and write Parquet tables (run --help)\n"
        + "  visualize  class images by activation maximisation (visualize --help)\n"
        + "  bench      throughput against peak FLOP/s and a PyTorch baseline (bench --help; bin/saliency only)\n";
  }
}
