package org.sparksaliency.job.api;

import org.sparksaliency.job.input.ImageColumns;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.output.ResultSchema;

/**
 * Saliency heatmaps as a Spark ML {@link Transformer}, for notebooks and {@link org.apache.spark.ml.Pipeline}s:
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
 * <p>The input column holds binary file content ({@code binaryFile}'s {@code content}, the default), a string
 * file path, or Spark's {@code image} struct. The output has the columns of {@link ResultSchema#RESULT}: one row
 * per (image, method) with {@code kind = 'heatmap'} and the heatmap table's columns, and one row per unusable
 * image (or image and method) with {@code kind = 'quarantine'}, {@code reason} and {@code message}. Input columns
 * are not carried over: {@code path} links the rows back to their images.
 *
 * <p>Params are the command-line options in camel case, with the same defaults and checks: {@link
 * #transformSchema} fails with one line such as "Cannot use imageSize: '3' must be between 8 and 4096" before any
 * Spark job. {@link #transform} is lazy; on the driver it reads the labels file and hashes the model file.
 * Saved and loaded with {@link #write()} / {@link #load(String)}, alone or inside a pipeline.
 */
public final class SaliencyTransformer extends Transformer implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private static final DefaultParamsReadable<SaliencyTransformer> READABLE = new DefaultParamsReadable<>() {};

  private final String uid;
  private final Param<String> model;
  private final Param<String> modelSha256;
  private final Param<String> labels;
  private final StringArrayParam methods;
  private final IntParam imageSize;
  private final DoubleArrayParam mean;
  private final DoubleArrayParam std;
  private final IntParam batchSize;
  private final IntParam microBatchSize;
  private final IntParam heatmapSize;
  private final Param<String> target;
  private final Param<String> rolloutHeadFusion;
  private final DoubleParam rolloutDiscard;
  private final Param<String> runId;
  private final IntParam partitions;
  private final IntParam torchThreads;
  private final Param<String> engineCheck;
  private final LongParam maxFileBytes;
  private final LongParam maxPixels;
  private final Param<String> inputCol;
  private final Param<String> pathCol;
  private final Param<String> labelCol;

  public SaliencyTransformer() {
    this(Identifiable$.MODULE$.randomUID("saliency"));
  }

  /** The constructor Spark's reader calls when loading a saved transformer. */
  public SaliencyTransformer(String uid) {
    this.uid = uid;
    model = new Param<>(this, "model", "TorchScript model file URI (required)");
    modelSha256 = new Param<>(this, "modelSha256", "expected sha-256 of the model file, hex; empty: any");
    labels = new Param<>(this, "labels", "class names file URI, one per line in class-index order; empty: none");
    methods = new StringArrayParam(this, "methods", "saliency methods");
    imageSize = new IntParam(this, "imageSize", "model input size N (N x N)");
    mean = new DoubleArrayParam(this, "mean", "per-channel RGB mean after scaling to [0,1]");
    std = new DoubleArrayParam(this, "std", "per-channel RGB standard deviation after scaling to [0,1]");
    batchSize = new IntParam(this, "batchSize", "images handed to the model owner at once");
    microBatchSize = new IntParam(this, "microBatchSize", "most samples in one forward/backward pass");
    heatmapSize = new IntParam(this, "heatmapSize", "stored heatmap grid N (N x N)");
    target = new Param<>(this, "target", "class to explain: predicted, or label (from labelCol)");
    rolloutHeadFusion = new Param<>(this, "rolloutHeadFusion", "attention_rollout: merge the heads of a layer by mean or max");
    rolloutDiscard =
        new DoubleParam(this, "rolloutDiscard", "rollout methods: share 0 <= d < 1 of each layer's lowest attention set to zero");
    runId = new Param<>(this, "runId", "run identifier written into every row; empty: generated per transform");
    partitions = new IntParam(this, "partitions", "partitions for model work, spread by path; 0: keep the input's");
    torchThreads = new IntParam(this, "torchThreads", "intra-op threads of the model owner; 0: executor cores");
    engineCheck =
        new Param<>(this, "engineCheck", "when an executor's batched passes fail the engine self-check: fallback | strict");
    maxFileBytes = new LongParam(this, "maxFileBytes", "larger files are quarantined as too_large");
    maxPixels = new LongParam(this, "maxPixels", "larger images are quarantined as too_large");
    inputCol = new Param<>(this, "inputCol", "image column: binary file content, string file path, or image struct");
    pathCol = new Param<>(this, "pathCol", "for binary input, the string column naming each image");
    labelCol = new Param<>(this, "labelCol", "label column: class name (string) or class index (number)");

    setDefault(modelSha256, "");
    setDefault(labels, "");
    setDefault(methods, defaultText("methods").split(","));
    setDefault(imageSize, defaultInt("image-size"));
    setDefault(mean, defaultDoubles("mean"));
    setDefault(std, defaultDoubles("std"));
    setDefault(batchSize, defaultInt("batch-size"));
    setDefault(microBatchSize, defaultInt("micro-batch-size"));
    setDefault(heatmapSize, defaultInt("heatmap-size"));
    setDefault(target, defaultText("target"));
    setDefault(rolloutHeadFusion, defaultText("rollout-head-fusion"));
    setDefault(rolloutDiscard, Double.parseDouble(defaultText("rollout-discard")));
    setDefault(runId, "");
    setDefault(partitions, defaultInt("partitions"));
    setDefault(torchThreads, defaultInt("torch-threads"));
    setDefault(engineCheck, defaultText("engine-check"));
    setDefault(maxFileBytes, Long.parseLong(defaultText("max-file-bytes")));
    setDefault(maxPixels, Long.parseLong(defaultText("max-pixels")));
    setDefault(inputCol, ImageColumns.BINARY_FILE.input());
    setDefault(pathCol, ImageColumns.BINARY_FILE.path());
    setDefault(labelCol, ImageColumns.BINARY_FILE.label());
  }

  @Override
  public String uid() {
    return uid;
  }

  /**
   * The validated explainer these params describe.
   *
   * @throws org.sparksaliency.job.config.ConfigException naming the first bad param
   */
  public SaliencyExplainer explainer() {
    return SaliencyExplainer.builder()
        .option("model", isDefined(model) ? getModel() : null)
        .option("model-sha256", emptyToNull(getModelSha256()))
        .option("labels", emptyToNull(getLabels()))
        .option("methods", String.join(",", getMethods()))
        .option("image-size", Integer.toString(getImageSize()))
        .option("mean", joined(getMean()))
        .option("std", joined(getStd()))
        .option("batch-size", Integer.toString(getBatchSize()))
        .option("micro-batch-size", Integer.toString(getMicroBatchSize()))
        .option("heatmap-size", Integer.toString(getHeatmapSize()))
        .option("target", getTarget())
        .option("rollout-head-fusion", getRolloutHeadFusion())
        .option("rollout-discard", Double.toString(getRolloutDiscard()))
        .option("run-id", emptyToNull(getRunId()))
        .option("partitions", Integer.toString(getPartitions()))
        .option("torch-threads", Integer.toString(getTorchThreads()))
        .option("engine-check", getEngineCheck())
        .option("max-file-bytes", Long.toString(getMaxFileBytes()))
        .option("max-pixels", Long.toString(getMaxPixels()))
        .optInputCol(getInputCol())
        .optPathCol(getPathCol())
        .optLabelCol(getLabelCol())
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

  // Params: Spark finds them through these public no-argument methods.

  public Param<String> model() {
    return model;
  }

  public Param<String> modelSha256() {
    return modelSha256;
  }

  public Param<String> labels() {
    return labels;
  }

  public StringArrayParam methods() {
    return methods;
  }

  public IntParam imageSize() {
    return imageSize;
  }

  public DoubleArrayParam mean() {
    return mean;
  }

  public DoubleArrayParam std() {
    return std;
  }

  public IntParam batchSize() {
    return batchSize;
  }

  public IntParam microBatchSize() {
    return microBatchSize;
  }

  public IntParam heatmapSize() {
    return heatmapSize;
  }

  public Param<String> target() {
    return target;
  }

  public Param<String> rolloutHeadFusion() {
    return rolloutHeadFusion;
  }

  public DoubleParam rolloutDiscard() {
    return rolloutDiscard;
  }

  public Param<String> runId() {
    return runId;
  }

  public IntParam partitions() {
    return partitions;
  }

  public IntParam torchThreads() {
    return torchThreads;
  }

  public LongParam maxFileBytes() {
    return maxFileBytes;
  }

  public LongParam maxPixels() {
    return maxPixels;
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

  // Getters and setters, Spark ML style.

  public String getModel() {
    return $(model);
  }

  public SaliencyTransformer setModel(String uri) {
    return with(model, uri);
  }

  public String getModelSha256() {
    return $(modelSha256);
  }

  public SaliencyTransformer setModelSha256(String hex) {
    return with(modelSha256, hex);
  }

  public String getLabels() {
    return $(labels);
  }

  public SaliencyTransformer setLabels(String uri) {
    return with(labels, uri);
  }

  public String[] getMethods() {
    return $(methods);
  }

  public SaliencyTransformer setMethods(String... names) {
    return with(methods, names);
  }

  public int getImageSize() {
    return (Integer) $(imageSize);
  }

  public SaliencyTransformer setImageSize(int size) {
    return with(imageSize, size);
  }

  public double[] getMean() {
    return $(mean);
  }

  public SaliencyTransformer setMean(double... rgb) {
    return with(mean, rgb);
  }

  public double[] getStd() {
    return $(std);
  }

  public SaliencyTransformer setStd(double... rgb) {
    return with(std, rgb);
  }

  public int getBatchSize() {
    return (Integer) $(batchSize);
  }

  public SaliencyTransformer setBatchSize(int images) {
    return with(batchSize, images);
  }

  public int getMicroBatchSize() {
    return (Integer) $(microBatchSize);
  }

  public SaliencyTransformer setMicroBatchSize(int samples) {
    return with(microBatchSize, samples);
  }

  public int getHeatmapSize() {
    return (Integer) $(heatmapSize);
  }

  public SaliencyTransformer setHeatmapSize(int size) {
    return with(heatmapSize, size);
  }

  public String getTarget() {
    return $(target);
  }

  /** "predicted" (the default) or "label" (the class in {@link #labelCol()}). */
  public SaliencyTransformer setTarget(String value) {
    return with(target, value);
  }

  public String getRolloutHeadFusion() {
    return $(rolloutHeadFusion);
  }

  /** "mean" (the default) or "max": how attention_rollout merges the heads of a layer. */
  public SaliencyTransformer setRolloutHeadFusion(String value) {
    return with(rolloutHeadFusion, value);
  }

  public double getRolloutDiscard() {
    return (Double) $(rolloutDiscard);
  }

  /** Share 0 ≤ d &lt; 1 of each layer's lowest fused attention the rollout methods set to zero (default 0). */
  public SaliencyTransformer setRolloutDiscard(double share) {
    return with(rolloutDiscard, share);
  }

  public String getRunId() {
    return $(runId);
  }

  public SaliencyTransformer setRunId(String value) {
    return with(runId, value);
  }

  public int getPartitions() {
    return (Integer) $(partitions);
  }

  public SaliencyTransformer setPartitions(int count) {
    return with(partitions, count);
  }

  public String getEngineCheck() {
    return $(engineCheck);
  }

  public SaliencyTransformer setEngineCheck(String mode) {
    return with(engineCheck, mode);
  }

  public Param<String> engineCheck() {
    return engineCheck;
  }

  public int getTorchThreads() {
    return (Integer) $(torchThreads);
  }

  public SaliencyTransformer setTorchThreads(int threads) {
    return with(torchThreads, threads);
  }

  public long getMaxFileBytes() {
    return (Long) $(maxFileBytes);
  }

  public SaliencyTransformer setMaxFileBytes(long bytes) {
    return with(maxFileBytes, bytes);
  }

  public long getMaxPixels() {
    return (Long) $(maxPixels);
  }

  public SaliencyTransformer setMaxPixels(long pixels) {
    return with(maxPixels, pixels);
  }

  public String getInputCol() {
    return $(inputCol);
  }

  public SaliencyTransformer setInputCol(String column) {
    return with(inputCol, column);
  }

  public String getPathCol() {
    return $(pathCol);
  }

  public SaliencyTransformer setPathCol(String column) {
    return with(pathCol, column);
  }

  public String getLabelCol() {
    return $(labelCol);
  }

  public SaliencyTransformer setLabelCol(String column) {
    return with(labelCol, column);
  }

  private <T> SaliencyTransformer with(Param<T> param, T value) {
    set(param, value);
    return this;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String joined(double[] values) {
    return Arrays.stream(values).mapToObj(Double::toString).collect(Collectors.joining(","));
  }

  private static String defaultText(String option) {
    return JobOptions.defaultValue(option).orElseThrow();
  }

  private static int defaultInt(String option) {
    return Integer.parseInt(defaultText(option));
  }

  private static double[] defaultDoubles(String option) {
    return Arrays.stream(defaultText(option).split(",")).mapToDouble(Double::parseDouble).toArray();
  }
}
