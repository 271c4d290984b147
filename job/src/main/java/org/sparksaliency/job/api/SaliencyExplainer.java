package org.sparksaliency.job.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.sparksaliency.job.config.DatasetConfig;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.input.ImageColumns;
import org.sparksaliency.job.input.ImageInput;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.run.Saliency;
import org.sparksaliency.job.run.SaliencyResult;

/**
 * Explains a Dataset of images in your own Spark application: the Java API that the command line
 * and {@link SaliencyTransformer} are built on.
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").load("s3a://bucket/images");
 * SaliencyResult result =
 *     SaliencyExplainer.builder()
 *         .setModel("s3a://bucket/model.pt")
 *         .option(JobOptions.METHODS, List.of("gradient", "gradcam"))
 *         .option(JobOptions.IMAGE_SIZE, 224)
 *         .build()                 // validates, like the command line's options
 *         .explain(images);        // lazy: no Spark job runs until an action
 * result.heatmaps().write().parquet("s3a://bucket/heatmaps");
 * }</pre>
 *
 * <p>Options are those of the catalogue that apply to a Dataset ({@link JobOptions#dataset()}), set
 * typed with {@link Builder#option(Option, Object)} or by name as text.
 *
 * <p>Immutable and validated: {@link Builder#build()} fails with a one-line "Cannot use imageSize:
 * ..." message for a bad value, {@link #explain} with a "Cannot use inputCol: ..." one for a
 * Dataset without the columns it needs, both before any Spark job.
 */
public final class SaliencyExplainer {
  private final DatasetConfig config;
  private final ImageColumns columns;
  private final UnaryOperator<ConfigException> naming;

  private SaliencyExplainer(
      DatasetConfig config, ImageColumns columns, UnaryOperator<ConfigException> naming) {
    this.config = Objects.requireNonNull(config, "config is null");
    this.columns = Objects.requireNonNull(columns, "columns is null");
    this.naming = naming;
  }

  /**
   * An explainer for a configuration validated by {@link JobOptions} (whose errors name
   * command-line flags, as these will).
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
   * Explains every row of {@code images}, lazily: on the driver this only checks the schema, reads
   * the labels file and hashes the model file (its sha-256 is every row's {@code model_id} and is
   * checked against {@code modelSha256}); the model runs in the tasks of the first action on the
   * result.
   *
   * @param images one row per image, with the columns of {@link #columns()}; {@code box_x0, box_y0,
   *     box_x1, box_y1} (pixels of the original image) are used when present
   * @throws ConfigException for a Dataset without the columns it needs, or a model file whose
   *     sha-256 is not the expected one
   */
  public SaliencyResult explain(Dataset<Row> images) {
    // Saliency.explain checks the schema first; those errors name columns, which naming leaves as
    // they are.
    try {
      return Saliency.explain(images, config, columns);
    } catch (ConfigException e) {
      throw naming.apply(e);
    }
  }

  /**
   * Options by name, validated together by {@link #build()} with the command line's defaults and
   * rules. {@code setX} is required, {@code optX} optional; each {@code optX} is the command-line
   * option {@code --x}.
   */
  public static final class Builder {
    private final Map<String, String> options = new LinkedHashMap<>();
    private String inputCol = ImageColumns.BINARY_FILE.input();
    private String pathCol = ImageColumns.BINARY_FILE.path();
    private String labelCol = ImageColumns.BINARY_FILE.label();

    private Builder() {}

    /** The TorchScript model file's URI (see the model contract in docs/methods.md). */
    public Builder setModel(String uri) {
      return option(JobOptions.MODEL, uri);
    }

    /**
     * Sets an option of {@link JobOptions#dataset()} from its typed value, e.g. {@code
     * option(JobOptions.IMAGE_SIZE, 224)} or {@code option(IntegratedGradientsMethod.STEPS, 64)};
     * checked with the others by {@link #build()}.
     */
    public <T> Builder option(Option<T> option, T value) {
      return option(option.name(), value == null ? null : option.format(value));
    }

    /**
     * The image column: binary content (default {@code content}), a string path, or Spark's image
     * struct.
     */
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
     * Sets an option by its command-line name, as text ({@code option("ig-steps", "64")}, what the
     * transformer's params hand over); null means the option's default.
     */
    public Builder option(String name, String value) {
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
     * @throws ConfigException "Cannot use imageSize: '3' must be between 8 and 4096", naming the
     *     first bad one
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
