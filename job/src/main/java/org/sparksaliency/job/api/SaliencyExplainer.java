package org.sparksaliency.job.api;

import org.sparksaliency.job.input.ImageColumns;
import org.sparksaliency.job.input.ImageInput;

import org.sparksaliency.job.model.EngineCheckMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.sparksaliency.job.config.ConfigException;
import org.sparksaliency.job.config.DatasetConfig;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.method.Target;
import org.sparksaliency.job.method.HeadFusion;
import org.sparksaliency.job.method.IgBaseline;
import org.sparksaliency.job.run.ExplainSettings;
import org.sparksaliency.job.run.Saliency;
import org.sparksaliency.job.run.SaliencyResult;

/**
 * Explains a Dataset of images in your own Spark application: the Java API that the command line and
 * {@link SaliencyTransformer} are built on.
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").load("s3a://bucket/images");
 * SaliencyResult result =
 *     SaliencyExplainer.builder()
 *         .setModel("s3a://bucket/model.pt")
 *         .optMethods("gradient", "gradcam")
 *         .optImageSize(224)
 *         .build()                 // validates, like the command line's options
 *         .explain(images);        // lazy: no Spark job runs until an action
 * result.heatmaps().write().parquet("s3a://bucket/heatmaps");
 * }</pre>
 *
 * <p>Immutable and validated: {@link Builder#build()} fails with a one-line "Cannot use imageSize: ..." message
 * for a bad value, {@link #explain} with a "Cannot use inputCol: ..." one for a Dataset without the columns it
 * needs, both before any Spark job.
 */
public final class SaliencyExplainer {
  private final DatasetConfig config;
  private final ImageColumns columns;
  private final UnaryOperator<ConfigException> naming;

  private SaliencyExplainer(DatasetConfig config, ImageColumns columns, UnaryOperator<ConfigException> naming) {
    this.config = Objects.requireNonNull(config, "config is null");
    this.columns = Objects.requireNonNull(columns, "columns is null");
    this.naming = naming;
  }

  /**
   * An explainer for a configuration validated by {@link JobOptions} (whose errors name command-line flags, as
   * these will).
   */
  public static SaliencyExplainer of(DatasetConfig config, ImageColumns columns) {
    return new SaliencyExplainer(config, columns, UnaryOperator.identity());
  }

  /** Builds an explainer option by option; {@link Builder#setModel} is required. */
  public static Builder builder() {
    return new Builder();
  }

  public DatasetConfig config() {
    return config;
  }

  public ImageColumns columns() {
    return columns;
  }

  /**
   * Checks that a Dataset with this schema can be explained, from the schema alone.
   *
   * @throws ConfigException naming the column parameter (or {@code target}) and what is wrong
   */
  public void check(StructType schema) {
    ImageInput.check(schema, columns, config.explain().target());
  }

  /**
   * Explains every row of {@code images}, lazily: on the driver this only checks the schema, reads the labels
   * file and hashes the model file (its sha-256 is every row's {@code model_id} and is checked against
   * {@code modelSha256}); the model runs in the tasks of the first action on the result.
   *
   * @param images one row per image, with the columns of {@link #columns()}; {@code box_x0, box_y0, box_x1,
   *     box_y1} (pixels of the original image) are used when present
   * @throws ConfigException for a Dataset without the columns it needs, or a model file whose sha-256 is not the
   *     expected one
   */
  public SaliencyResult explain(Dataset<Row> images) {
    ImageInput.check(images.schema(), columns, config.explain().target());
    try {
      return Saliency.explain(images, config, columns);
    } catch (ConfigException e) {
      throw naming.apply(e);
    }
  }

  /**
   * Options by name, validated together by {@link #build()} with the command line's defaults and rules. {@code
   * setX} is required, {@code optX} optional; each {@code optX} is the command-line option {@code --x}.
   */
  public static final class Builder {
    private final Map<String, String> options = new LinkedHashMap<>();
    private String inputCol = ImageColumns.BINARY_FILE.input();
    private String pathCol = ImageColumns.BINARY_FILE.path();
    private String labelCol = ImageColumns.BINARY_FILE.label();

    private Builder() {}

    /** The TorchScript model file's URI (see the model contract in docs/methods.md). */
    public Builder setModel(String uri) {
      return option("model", uri);
    }

    /** The model file's expected sha-256 (hex); a different file fails {@link SaliencyExplainer#explain}. */
    public Builder optModelSha256(String hex) {
      return option("model-sha256", hex);
    }

    /** Class names, one per line, in class-index order. */
    public Builder optLabels(String uri) {
      return option("labels", uri);
    }

    public Builder optMethods(String... names) {
      return option("methods", String.join(",", names));
    }

    public Builder optImageSize(int size) {
      return option("image-size", Integer.toString(size));
    }

    /** Per-channel (R, G, B) mean after scaling to [0, 1]. */
    public Builder optMean(float r, float g, float b) {
      return option("mean", r + "," + g + "," + b);
    }

    /** Per-channel (R, G, B) standard deviation after scaling to [0, 1]. */
    public Builder optStd(float r, float g, float b) {
      return option("std", r + "," + g + "," + b);
    }

    public Builder optBatchSize(int images) {
      return option("batch-size", Integer.toString(images));
    }

    public Builder optMicroBatchSize(int samples) {
      return option("micro-batch-size", Integer.toString(samples));
    }

    public Builder optHeatmapSize(int size) {
      return option("heatmap-size", Integer.toString(size));
    }

    /** Explain the predicted class (the default) or the label in {@link #optLabelCol}. */
    public Builder optTarget(Target target) {
      return option("target", target.code());
    }

    /** How {@code attention_rollout} merges the heads of a layer: mean (the default) or max. */
    public Builder optRolloutHeadFusion(HeadFusion fusion) {
      return option("rollout-head-fusion", fusion.code());
    }

    /** Share 0 ≤ d &lt; 1 of each layer's lowest fused attention the rollout methods set to zero (default 0). */
    public Builder optRolloutDiscard(double share) {
      return option("rollout-discard", Double.toString(share));
    }

    /** {@code integrated_gradients}: midpoint-rule points along the path (default 32). */
    public Builder optIgSteps(int steps) {
      return option("ig-steps", Integer.toString(steps));
    }

    /** {@code integrated_gradients}: the path's start (default black). */
    public Builder optIgBaseline(IgBaseline baseline) {
      return option("ig-baseline", baseline.code());
    }

    /** {@code smoothgrad}, {@code smoothgrad_sq}, {@code vargrad}: noisy copies per image (default 16). */
    public Builder optSmoothgradSamples(int samples) {
      return option("smoothgrad-samples", Integer.toString(samples));
    }

    /** SmoothGrad noise standard deviation as a share of the [0, 1] pixel range (default 0.15). */
    public Builder optSmoothgradSigma(float sigma) {
      return option("smoothgrad-sigma", Float.toString(sigma));
    }

    /** Seeds every random draw together with the image_id (default 0). */
    public Builder optSeed(long seed) {
      return option("seed", Long.toString(seed));
    }

    /** {@code occlusion}: window side in input pixels; 0 (the default): image size / 8. */
    public Builder optOcclusionWindow(int pixels) {
      return option("occlusion-window", Integer.toString(pixels));
    }

    /** {@code occlusion}: window step in input pixels; 0 (the default): half the window. */
    public Builder optOcclusionStride(int pixels) {
      return option("occlusion-stride", Integer.toString(pixels));
    }

    /** {@code rise}: random masks per image (default 1000). */
    public Builder optRiseMasks(int masks) {
      return option("rise-masks", Integer.toString(masks));
    }

    /** {@code rise}: masks are drawn on an N × N grid, then upsampled (default 7). */
    public Builder optRiseGrid(int cells) {
      return option("rise-grid", Integer.toString(cells));
    }

    /** {@code rise}: probability that a grid cell is kept (default 0.5). */
    public Builder optRiseP(float probability) {
      return option("rise-p", Float.toString(probability));
    }

    /**
     * Faithfulness curves per heatmap: {@code "deletion"}, {@code "insertion"} (the deletion_auc and
     * insertion_auc columns; null without).
     */
    public Builder optEvaluate(String... curves) {
      return option("evaluate", String.join(",", curves));
    }

    /** {@code optEvaluate}: K steps, K + 1 forward passes per curve (default 16). */
    public Builder optEvaluateSteps(int steps) {
      return option("evaluate-steps", Integer.toString(steps));
    }

    public Builder optRunId(String runId) {
      return option("run-id", runId);
    }

    /** Partitions for model work, spread by path; 0 (the default) keeps the Dataset's partitioning. */
    public Builder optPartitions(int partitions) {
      return option("partitions", Integer.toString(partitions));
    }

    public Builder optTorchThreads(int threads) {
      return option("torch-threads", Integer.toString(threads));
    }

    /**
     * What an executor does when its engine self-check finds batched model passes untrustworthy (default
     * {@link EngineCheckMode#FALLBACK}: one sample per pass, with a warning; {@code STRICT}: fail).
     */
    public Builder optEngineCheck(EngineCheckMode mode) {
      return option("engine-check", mode.code());
    }

    public Builder optMaxFileBytes(long bytes) {
      return option("max-file-bytes", Long.toString(bytes));
    }

    public Builder optMaxPixels(long pixels) {
      return option("max-pixels", Long.toString(pixels));
    }

    /** The image column: binary content (default {@code content}), a string path, or Spark's image struct. */
    public Builder optInputCol(String column) {
      this.inputCol = column;
      return this;
    }

    /** For binary input, the string column naming each image (default {@code path}). */
    public Builder optPathCol(String column) {
      this.pathCol = column;
      return this;
    }

    /** The label column (default {@code label}): class names, or class indices as numbers. */
    public Builder optLabelCol(String column) {
      this.labelCol = column;
      return this;
    }

    /**
     * Sets an option by its command-line name, as text (what the transformer's params hand over); null means the
     * option's default.
     */
    Builder option(String name, String value) {
      if (value == null) {
        options.remove(name);
      } else {
        options.put(name, value);
      }
      return this;
    }

    /**
     * Validates every option and column name.
     *
     * @throws ConfigException "Cannot use imageSize: '3' must be between 8 and 4096", naming the first bad one
     */
    public SaliencyExplainer build() {
      DatasetConfig config;
      try {
        config = JobOptions.buildDataset(options);
      } catch (ConfigException e) {
        throw ParameterNames.rename(e);
      }
      return new SaliencyExplainer(
          config, new ImageColumns(inputCol, pathCol, labelCol), ParameterNames::rename);
    }
  }
}
