package org.sparksaliency.job.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.input.ImageColumns;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.output.ResultSchema;

/**
 * Saliency heatmaps as a Spark ML {@link Transformer}, for notebooks and {@link
 * org.apache.spark.ml.Pipeline}s:
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("image").load("s3a://bucket/images");
 * Dataset<Row> out =
 *     new SaliencyTransformer()
 *         .setModel("s3a://bucket/model.pt")
 *         .setInputCol("image")
 *         .setImageSize(224)
 *         .transform(images);
 * }</pre>
 *
 * <p>The input column holds binary file content ({@code binaryFile}'s {@code content}, the
 * default), a string file path, or Spark's {@code image} struct. The output has the columns of
 * {@link ResultSchema#RESULT}: one row per (image, method) with {@code kind = 'heatmap'} and the
 * heatmap table's columns, and one row per unusable image (or image and method) with {@code kind =
 * 'quarantine'}, {@code reason} and {@code message}. Input columns are not carried over: {@code
 * path} links the rows back to their images.
 *
 * <p>Params are the command-line options that apply to a Dataset ({@link JobOptions#dataset()}),
 * generated from the option catalogue: each option in camel case ({@code --ig-steps} is {@code
 * igSteps}), with the same defaults, help and checks. Set them by name ({@code
 * set(t.getParam("igSteps"), 64)}) or typed ({@link #setOption}): {@link #transformSchema} fails
 * with one line such as "Cannot use imageSize: '3' must be between 8 and 4096" before any Spark
 * job. {@link #transform} is lazy; on the driver it reads the labels file and hashes the model
 * file. Saved and loaded with {@link #write()} / {@link #load(String)}, alone or inside a pipeline.
 */
public final class SaliencyTransformer extends Transformer implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private static final DefaultParamsReadable<SaliencyTransformer> READABLE =
      new DefaultParamsReadable<>() {};

  private final String uid;
  private final Map<String, Param<?>> byOption = new LinkedHashMap<>();
  private final Param<String> inputCol;
  private final Param<String> pathCol;
  private final Param<String> labelCol;
  private final Param<?>[] all;

  public SaliencyTransformer() {
    this(Identifiable$.MODULE$.randomUID("saliency"));
  }

  /** The constructor Spark's reader calls when loading a saved transformer. */
  public SaliencyTransformer(String uid) {
    this.uid = uid;
    List<Param<?>> params = new ArrayList<>();
    for (Option<?> o : JobOptions.dataset()) {
      Param<?> p = OptionParams.param(this, o);
      byOption.put(o.name(), p);
      params.add(p);
    }
    inputCol =
        new Param<>(
            this,
            "inputCol",
            "image column: binary file content, string file path, or image struct");
    pathCol = new Param<>(this, "pathCol", "for binary input, the string column naming each image");
    labelCol =
        new Param<>(this, "labelCol", "label column: class name (string) or class index (number)");
    params.addAll(List.of(inputCol, pathCol, labelCol));
    all = params.toArray(new Param<?>[0]);
    for (Option<?> o : JobOptions.dataset()) {
      o.defaultText()
          .ifPresent(d -> setDefault(untyped(byOption.get(o.name())), OptionParams.value(o, d)));
    }
    setDefault(inputCol, ImageColumns.BINARY_FILE.input());
    setDefault(pathCol, ImageColumns.BINARY_FILE.path());
    setDefault(labelCol, ImageColumns.BINARY_FILE.label());
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The params: one per option of {@link JobOptions#dataset()}, then the three column params. */
  @Override
  public Param<?>[] params() {
    return all.clone();
  }

  /** The param of {@code option}. */
  public Param<?> param(Option<?> option) {
    Param<?> p = byOption.get(option.name());
    if (p == null) {
      throw new IllegalArgumentException(
          "Cannot use "
              + option
              + " in the transformer: it does not apply to a Dataset explained from code");
    }
    return p;
  }

  /**
   * Sets an option's param from its typed value (checked with the other params by {@link
   * #explainer()}).
   */
  public <T> SaliencyTransformer setOption(Option<T> option, T value) {
    set(untyped(param(option)), OptionParams.of(option, value));
    return this;
  }

  /**
   * The option's value (set or default), read back as the option reads its text; empty when it has
   * none.
   */
  public <T> Optional<T> getOption(Option<T> option) {
    Param<Object> p = untyped(param(option));
    return isDefined(p)
        ? Optional.of(option.parse(OptionParams.text(option, getOrDefault(p))))
        : Optional.empty();
  }

  /**
   * The validated explainer these params describe.
   *
   * @throws org.sparksaliency.job.option.ConfigException naming the first bad param
   */
  public SaliencyExplainer explainer() {
    SaliencyExplainer.Builder b = SaliencyExplainer.builder();
    for (Option<?> o : JobOptions.dataset()) {
      Param<Object> p = untyped(byOption.get(o.name()));
      b.option(o.name(), isDefined(p) ? OptionParams.text(o, getOrDefault(p)) : null);
    }
    return b.optInputCol(getOrDefault(inputCol))
        .optPathCol(getOrDefault(pathCol))
        .optLabelCol(getOrDefault(labelCol))
        .build();
  }

  /** Checks the params and the input column; the output is {@link ResultSchema#RESULT}. */
  @Override
  public StructType transformSchema(StructType schema) {
    explainer().check(schema);
    return ResultSchema.RESULT;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    return explainer().explain(dataset.toDF()).rows();
  }

  @Override
  public SaliencyTransformer copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<SaliencyTransformer> read() {
    return READABLE.read();
  }

  public static SaliencyTransformer load(String path) {
    return read().load(path);
  }

  /** The TorchScript model file's URI (the one required option). */
  public SaliencyTransformer setModel(String uri) {
    return setOption(JobOptions.MODEL, uri);
  }

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> pathCol() {
    return pathCol;
  }

  public Param<String> labelCol() {
    return labelCol;
  }

  public String getInputCol() {
    return getOrDefault(inputCol);
  }

  public SaliencyTransformer setInputCol(String column) {
    set(inputCol, column);
    return this;
  }

  public String getPathCol() {
    return getOrDefault(pathCol);
  }

  public SaliencyTransformer setPathCol(String column) {
    set(pathCol, column);
    return this;
  }

  public String getLabelCol() {
    return getOrDefault(labelCol);
  }

  public SaliencyTransformer setLabelCol(String column) {
    set(labelCol, column);
    return this;
  }

  @SuppressWarnings("unchecked")
  private static Param<Object> untyped(Param<?> p) {
    return (Param<Object>) p;
  }
}
