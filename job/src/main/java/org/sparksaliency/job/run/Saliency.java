package org.sparksaliency.job.run;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparksaliency.job.config.DatasetConfig;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.input.ImageColumns;
import org.sparksaliency.job.input.ImageInput;
import org.sparksaliency.job.input.ImageRows;
import org.sparksaliency.job.input.LabelsReader;
import org.sparksaliency.job.method.Target;
import org.sparksaliency.job.model.HadoopConf;
import org.sparksaliency.job.model.ModelFiles;
import org.sparksaliency.job.model.ModelSpec;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.output.ResultSchema;

/**
 * The explain stage wired into a Dataset: what {@link org.sparksaliency.job.api.SaliencyExplainer}
 * (and through it the command line and the Spark ML transformer) runs.
 */
public final class Saliency {
  private Saliency() {}

  /**
   * Resolves what executors need (labels, the model's sha-256) on the driver, checking it against
   * {@code --model-sha256}. Reads the labels file and the model bytes once.
   */
  public static ExplainSettings settings(
      SparkSession spark, DatasetConfig config, long createdAtMillis) {
    HadoopConf hadoop =
        HadoopConf.broadcast(spark.sparkContext(), spark.sparkContext().hadoopConfiguration());
    List<String> labels =
        config.labels().map(uri -> LabelsReader.read(uri, hadoop.get())).orElse(List.of());
    String sha = ModelFiles.sha256(config.model().model(), hadoop.get());
    config
        .model()
        .sha256()
        .ifPresent(
            expected -> {
              if (!expected.equals(sha)) {
                throw ConfigException.of(
                    "model-sha256",
                    "model %s has sha-256 %s, not %s",
                    config.model().model(),
                    sha,
                    expected);
              }
            });
    Target target = config.explain().target();
    if (target.kind() == Target.Kind.CLASSES) {
      // A class name missing from the labels fails here, before any task starts.
      target.classIndices(JobOptions.TARGET.name(), labels);
    }
    ModelSpec model =
        new ModelSpec(
            config.model().model(),
            sha,
            config.model().torchThreads(),
            hadoop,
            config.model().engineCheck());
    return new ExplainSettings(
        config.explain(),
        model,
        labels,
        config.maxFileBytes(),
        config.maxPixels(),
        config.runId(),
        createdAtMillis,
        hadoop,
        config.model().coalescing());
  }

  /**
   * Explains a Dataset with the given columns: checks its schema, resolves the settings on the
   * driver and wires the explain stage (lazy). The command line, {@link
   * org.sparksaliency.job.api.SaliencyExplainer} and the Spark ML transformer all come here.
   */
  public static SaliencyResult explain(
      Dataset<Row> images, DatasetConfig config, ImageColumns columns) {
    Target target = config.explain().target();
    ImageInput.check(images.schema(), columns, target);
    ExplainSettings settings = settings(images.sparkSession(), config, System.currentTimeMillis());
    return explain(
        ImageInput.adapt(images, columns, target, settings.labels()),
        settings,
        config.partitions());
  }

  /**
   * Explains every row of {@code images} (columns: {@code path}, and {@code content} or {@code
   * length}; optional {@code label}, {@code box_x0..box_y1}, {@code pixel_*}, {@code done_image_id}
   * and {@code done_methods}; see {@link ImageRows}). With {@code partitions > 0} the rows are
   * spread over that many partitions by path and sorted within them, so a rerun batches the same
   * images together; with 0 the Dataset's own partitioning is kept (no shuffle of image bytes).
   */
  public static SaliencyResult explain(
      Dataset<Row> images, ExplainSettings settings, int partitions) {
    Dataset<Row> spread =
        partitions > 0
            ? images
                .repartition(partitions, col(ImageRows.PATH))
                .sortWithinPartitions(col(ImageRows.PATH))
            : images;
    JobCounters counters = JobCounters.register(images.sparkSession().sparkContext());
    Dataset<Row> rows =
        spread.mapPartitions(
            new ExplainPartition(settings, counters), Encoders.row(ResultSchema.RESULT));
    return new SaliencyResult(rows, settings.model().sha256(), counters);
  }
}
