package org.sparksaliency.job.visualize;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparksaliency.job.config.VisualizeConfig;
import org.sparksaliency.job.input.LabelsReader;
import org.sparksaliency.job.model.HadoopConf;
import org.sparksaliency.job.model.ModelFiles;
import org.sparksaliency.job.model.ModelSpec;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.output.OutputWriter;

/**
 * {@code bin/saliency visualize}: one Spark task per class, each optimising its class image through
 * the executor's model owner; writes the PNGs under {@code runs/<run id>/png/} and the run's
 * partition of the {@code class_images/} table.
 */
public final class VisualizeJob {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VisualizeJob.class);

  private VisualizeJob() {}

  /** What a run wrote: the class_images rows (small: one per class), and how long it took. */
  public record Summary(String runId, String output, List<Row> rows, double seconds) {}

  /**
   * Resolves the classes and the model's sha-256 on the driver (a bad class or sha fails before any
   * task), then runs one task per class and writes the table; returns its rows.
   */
  public static Summary run(SparkSession spark, VisualizeConfig config) {
    long start = System.currentTimeMillis();
    spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    HadoopConf hadoop = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    List<String> labels =
        config.labels().map(uri -> LabelsReader.read(uri, hadoop.get())).orElse(List.of());
    List<Integer> classes = resolve(config.classes(), labels);
    String sha = ModelFiles.sha256(config.model(), hadoop.get());
    config
        .sha256()
        .ifPresent(
            expected -> {
              if (!expected.equals(sha)) {
                throw ConfigException.of(
                    "model-sha256",
                    "model %s has sha-256 %s, not %s",
                    config.model(),
                    sha,
                    expected);
              }
            });
    OutputWriter writer = new OutputWriter(config.output(), config.runId());
    // The run's images sit with its report, so a rerun replaces only its own (as the tables do).
    String pngDir = writer.reportFolder() + "/png";
    clear(pngDir, hadoop);
    ClassImageTask.Plan plan =
        new ClassImageTask.Plan(
            new ModelSpec(config.model(), sha, config.torchThreads(), hadoop),
            ascent(config),
            labels,
            pngDir,
            config.runId(),
            start,
            hadoop);
    JavaRDD<Integer> perClass =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(classes, classes.size());
    Dataset<Row> table =
        spark.createDataFrame(
            perClass.mapPartitions(new ClassImageTask(plan)), ClassImageTask.SCHEMA);
    writer.classImages(table);
    List<Row> rows =
        writer
            .runTable(spark, "class_images")
            .orElseThrow(
                () -> new IllegalStateException("Cannot read back the class_images just written"))
            .orderBy("target_class")
            .collectAsList();
    double seconds = (System.currentTimeMillis() - start) / 1000.0;
    LOG.info("Visualised {} classes in {} s", rows.size(), seconds);
    return new Summary(config.runId(), config.output(), rows, seconds);
  }

  static AscentSettings ascent(VisualizeConfig c) {
    return new AscentSettings(
        c.imageSize(),
        c.mean(),
        c.std(),
        c.steps(),
        c.learningRate(),
        c.l2Decay(),
        c.jitter(),
        c.blurEvery(),
        c.blurSigma(),
        c.seed());
  }

  /** Class names (with labels) or indices to indices. */
  static List<Integer> resolve(List<String> classes, List<String> labels) {
    List<Integer> out = new ArrayList<>();
    for (String c : classes) {
      int index = labels.indexOf(c);
      if (index < 0 && c.matches("\\d{1,9}")) {
        index = Integer.parseInt(c);
        if (!labels.isEmpty() && index >= labels.size()) {
          throw ConfigException.of(
              "classes", "class %d is past the %d names in --labels", index, labels.size());
        }
      }
      if (index < 0) {
        throw ConfigException.of(
            "classes",
            "'%s' is not a class name in --labels; known: %s",
            c,
            String.join(", ", labels));
      }
      if (out.contains(index)) {
        throw ConfigException.of("classes", "class %d is listed twice", index);
      }
      out.add(index);
    }
    return out;
  }

  /** Removes PNGs of an earlier run, as the table is replaced. */
  private static void clear(String dir, HadoopConf hadoop) {
    Path p = new Path(dir);
    try {
      FileSystem fs = p.getFileSystem(hadoop.get());
      if (fs.exists(p)) {
        fs.delete(p, true);
      }
      fs.mkdirs(p);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot prepare " + dir + ": " + e.getMessage(), e);
    }
  }
}
