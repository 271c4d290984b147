package org.sparksaliency.job.cli;

import java.io.PrintStream;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparksaliency.job.config.VisualizeConfig;
import org.sparksaliency.job.config.VisualizeOptions;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.visualize.VisualizeJob;

/** {@code bin/saliency visualize [options]}: class visualisation by activation maximisation. */
final class VisualizeCommand {
  private VisualizeCommand() {}

  /** Runs the command and returns its exit code (as {@link SaliencyCli}). */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
      out.print(VisualizeOptions.help());
      return SaliencyCli.OK;
    }
    VisualizeConfig config;
    try {
      config = VisualizeOptions.parse(args);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return SaliencyCli.BAD_OPTIONS;
    }
    SparkConf conf = new SparkConf(true);
    if (!conf.contains("spark.master")) {
      conf.setMaster(config.master().orElse("local[*]"));
    }
    conf.setIfMissing("spark.app.name", "spark-saliency visualize " + config.runId());
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    try {
      out.print(format(VisualizeJob.run(spark, config)));
      return SaliencyCli.OK;
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return SaliencyCli.BAD_OPTIONS;
    } catch (Exception e) {
      err.println("Cannot complete run " + config.runId() + ": " + SaliencyCli.rootMessage(e));
      return SaliencyCli.FAILED;
    } finally {
      spark.stop();
    }
  }

  static String format(VisualizeJob.Summary s) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            "spark-saliency %s: %d class images in %.1f s%n",
            s.runId(), s.rows().size(), s.seconds()));
    for (Row r : s.rows()) {
      String name = r.isNullAt(1) ? "" : " " + r.getString(1);
      sb.append(
          String.format(
              "  class %d%-12s logit %8.3f -> %8.3f after %d steps%n",
              r.getInt(0),
              name,
              r.getFloat(r.fieldIndex("initial_logit")),
              r.getFloat(r.fieldIndex("final_logit")),
              r.getInt(r.fieldIndex("steps"))));
    }
    sb.append(
        String.format(
            "  %-22s %s (class_images/run_id=%s/, runs/%s/png/)%n",
            "output", s.output(), s.runId(), s.runId()));
    return sb.toString();
  }
}
