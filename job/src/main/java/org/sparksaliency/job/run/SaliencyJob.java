package org.sparksaliency.job.run;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.sparksaliency.job.config.JobConfig;
import org.sparksaliency.job.input.ImageColumns;
import org.sparksaliency.job.input.ImageInput;
import org.sparksaliency.job.input.ImageListing;
import org.sparksaliency.job.input.ImageRows;
import org.sparksaliency.job.input.ManifestPaths;
import org.sparksaliency.job.input.ManifestReader;
import org.sparksaliency.job.io.Redaction;
import org.sparksaliency.job.model.OwnerClock;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.output.MethodParams;
import org.sparksaliency.job.output.OutputWriter;
import org.sparksaliency.job.output.QuarantineRatioCheck;
import org.sparksaliency.job.output.RunJson;
import org.sparksaliency.job.output.RunSummary;
import org.sparksaliency.job.report.HtmlReport;

/**
 * The batch job, a thin layer over the Java API: list and join the manifest → {@link Saliency} →
 * write the three tables and run.json → summarise → check the quarantine ratio.
 */
public final class SaliencyJob {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SaliencyJob.class);

  private SaliencyJob() {}

  /**
   * Runs the job: lists the images (joined with the manifest), explains them with {@link Saliency},
   * writes the three tables and run.json, and returns the counts.
   *
   * @throws QuarantineRatioException after writing everything, when more than
   *     --max-quarantine-ratio of the input files were quarantined
   */
  public static RunSummary run(SparkSession spark, JobConfig config) {
    return run(spark, config, System.out);
  }

  /**
   * As {@link #run(SparkSession, JobConfig)}, printing progress lines to {@code progress} while the
   * images are explained (unless {@code --quiet}).
   */
  public static RunSummary run(SparkSession spark, JobConfig config, PrintStream progress) {
    long start = System.currentTimeMillis();
    spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    // Checks the table format's library and catalog before any Spark work.
    OutputWriter writer = OutputWriter.of(spark, config.output());
    ImageListing.Listing listed = listing(spark, config);
    // From the driver's file index: the manifest's left join (its paths checked unique below) keeps
    // one row per listed file, so no Spark job counts them.
    long files = listed.count();
    LOG.info("Listed {} input files ({} more not matching --input-glob)", files, listed.skipped());
    if (files == 0) {
      throw ConfigException.of(
          "input", "no files match '%s' under '%s'", config.input().glob(), config.input().input());
    }
    Optional<Dataset<Row>> manifest =
        config.input().manifest().map(uri -> ManifestReader.read(spark, uri));
    Dataset<Row> images = manifest.map(m -> joined(listed.images(), m)).orElse(listed.images());
    ImageInput.check(images.schema(), ImageColumns.FILE_PATHS, config.explain().target());
    if (manifest.isPresent()) {
      // The one Spark job before the explain stage.
      String uri = config.input().manifest().get();
      images = joined(listed.images(), ManifestPaths.unique(spark, uri, manifest.get()));
    }
    int partitions =
        config.output().partitions() > 0
            ? config.output().partitions()
            : autoPartitions(spark, config, files);
    // Once per run, on the driver: the labels, and the model's sha-256 that every stage and table
    // uses.
    ExplainSettings settings =
        Saliency.settings(spark, config.dataset().withPartitions(partitions), start);
    if (!config.output().incremental()) {
      // The options are checked; a fresh run needs the model (a rerun may find every image done).
      LocalModelPreload.start(spark, settings);
    }
    Dataset<Row> listing =
        ImageInput.adapt(
            images, ImageColumns.FILE_PATHS, config.explain().target(), settings.labels());
    Dataset<Row> toExplain = listing;
    IncrementalOutput incremental = null;
    if (config.output().incremental()) {
      incremental = IncrementalOutput.open(spark, writer);
      toExplain =
          incremental.annotate(
              listing,
              settings.model().sha256(),
              MethodParams.byMethod(config.explain()),
              config.explain().evaluate());
    }
    SaliencyResult result = Saliency.explain(toExplain, settings, partitions);
    LOG.info("Model {} has sha-256 {}", Redaction.uri(config.model().model()), result.modelId());
    Dataset<Row> rows = result.rows().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long explainStart = System.currentTimeMillis();
      // The tables after the explain stage come from the heatmaps write itself (TableTap); with
      // --incremental the run's heatmaps are the kept rows of earlier runs and the new ones.
      TableTap tap = TableTap.register(spark.sparkContext(), config.explain().methods());
      Dataset<Row> heatmaps =
          incremental == null
              ? SaliencyResult.heatmapsOf(tap.over(rows))
              : incremental.heatmaps(result, tap::over);
      OwnerClock.Reading clockBefore = OwnerClock.read();
      try (ProgressPrinter p =
          ProgressPrinter.start(
              spark.sparkContext(), config.progress(), files, result.counters(), progress)) {
        writer.heatmaps(heatmaps); // the explain stage runs here
      }
      double explainSeconds = (System.currentTimeMillis() - explainStart) / 1000.0;
      LOG.info("Explained {} files and wrote heatmaps in {} s", files, explainSeconds);
      logOwnerClock(clockBefore, OwnerClock.read());
      OnePassTables tables = new OnePassTables(tap.tallies(), heatmaps.schema());
      TablesWriter.write(spark, writer, tables, result, heatmaps.schema());
      if (config.explain().layerStats()) {
        writer.layerStats(LayerStatsTable.compute(listing, settings, partitions));
        LOG.info("Wrote layer_stats");
      }
      if (config.explain().evaluate().sanityCheck()) {
        sanityCheck(listing, settings, writer);
      }
      RunSummary summary = summarise(tables, config, result, files, listed, explainSeconds, start);
      long reportStart = System.currentTimeMillis();
      writer.report(RunJson.of(spark, config, summary), spark.sparkContext().hadoopConfiguration());
      LOG.info("Wrote run.json in {} s", (System.currentTimeMillis() - reportStart) / 1000.0);
      if (config.report().enabled()) {
        HtmlReport.write(spark, writer, config.report());
        LOG.info("Wrote {}", HtmlReport.index(writer));
      }
      // The written table: with Delta or Iceberg and --incremental the write dropped the rows'
      // cache (they read the heatmaps table), and reading them would explain every image again.
      QuarantineRatioCheck.check(
          summary,
          config.input().maxQuarantineRatio(),
          writer.runTable(spark, "quarantine").orElseGet(result::quarantine));
      return summary;
    } finally {
      rows.unpersist();
    }
  }

  /** In local mode (the executor in this JVM): how busy the model owner was, and with what. */
  private static void logOwnerClock(OwnerClock.Reading before, OwnerClock.Reading after) {
    double busy = after.busySecondsSince(before);
    if (busy > 0) {
      LOG.info(
          "Model owner: busy {} s of the explain stage's {} s, {} s of that in model passes",
          String.format(Locale.ROOT, "%.3f", busy),
          String.format(Locale.ROOT, "%.3f", after.secondsSince(before)),
          String.format(Locale.ROOT, "%.3f", after.engineSecondsSince(before)));
    }
  }

  /** Writes sanity/ and sanity_verdicts/, and logs each method's verdict. */
  private static void sanityCheck(
      Dataset<Row> listing, ExplainSettings settings, OutputWriter writer) {
    Dataset<Row> sanity =
        SanityCheck.rows(listing, settings).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> verdicts = SanityCheck.verdicts(sanity);
      writer.sanity(sanity, verdicts);
      for (Row v : verdicts.collectAsList()) {
        LOG.info(
            "Sanity check: {} with {} layer(s) randomised (down to {}): mean |spearman| {} over {} images: {}",
            v.getString(0),
            v.getInt(1),
            v.getString(2),
            v.get(6),
            v.getLong(3),
            v.getBoolean(7) ? "pass" : "FAIL (the map stays similar to the trained model's)");
      }
    } finally {
      sanity.unpersist();
    }
  }

  /** The files under --input: those the glob selects, and how many it did not. */
  static ImageListing.Listing listing(SparkSession spark, JobConfig config) {
    try {
      return ImageListing.list(spark, config.input().input(), config.input().glob());
    } catch (Exception e) {
      // Scala throws AnalysisException (a checked exception to Java) for a path that does not
      // exist.
      if (e instanceof AnalysisException) {
        throw ConfigException.of(
            "input",
            "'%s' cannot be listed (%s)",
            config.input().input(),
            ((AnalysisException) e).getSimpleMessage());
      }
      throw e instanceof RuntimeException ? (RuntimeException) e : new IllegalStateException(e);
    }
  }

  /** The listing joined with the manifest (lazy). */
  static Dataset<Row> joined(Dataset<Row> listing, Dataset<Row> manifest) {
    return listing
        .join(manifest, listing.col(ImageRows.PATH).equalTo(manifest.col(ImageRows.PATH)), "left")
        .drop(manifest.col(ImageRows.PATH));
  }

  /** Enough partitions to keep every core busy, but at least a batch of images in each. */
  static int autoPartitions(SparkSession spark, JobConfig config, long files) {
    long byBatch = (files + config.explain().batchSize() - 1) / config.explain().batchSize();
    long cores = Math.max(1, spark.sparkContext().defaultParallelism());
    return (int) Math.max(1, Math.min(byBatch, cores * 4L));
  }

  private static RunSummary summarise(
      OnePassTables tables,
      JobConfig config,
      SaliencyResult result,
      long files,
      ImageListing.Listing listed,
      double explainSeconds,
      long start) {
    Map<String, Long> byMethod = tables.heatmapsByMethod(config.explain().methods());
    return new RunSummary(
        config.output().runId(),
        config.output().output(),
        result.modelId(),
        files,
        byMethod,
        tables.quarantineByReason(),
        tables.quarantinedFiles(),
        tables.imagesExplained(),
        tables.imagesReused(),
        explainSeconds,
        (System.currentTimeMillis() - start) / 1000.0,
        tables.pointingByMethod(byMethod.keySet()),
        listed.skipped(),
        listed.skippedExamples(),
        result.counters().engineVerdicts());
  }
}
