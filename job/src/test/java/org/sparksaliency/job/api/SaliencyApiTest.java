package org.sparksaliency.job.api;

import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.method.Rollout;
import org.sparksaliency.job.method.Target;
import org.sparksaliency.job.output.ResultSchema;
import org.sparksaliency.job.run.SaliencyJob;
import org.sparksaliency.job.run.SaliencyResult;
import org.sparksaliency.job.run.TestSpark;

/**
 * The Java API on a {@code binaryFile} DataFrame and the Spark ML transformer on the {@code image}
 * source, inside a saved and reloaded pipeline, give the command line's heatmaps for the sample.
 */
class SaliencyApiTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String IMAGES = ROOT.resolve("sample-data/images").toString();
  private static final String MODEL = ROOT.resolve("sample-data/model/shapes_cnn.pt").toString();
  private static final String LABELS = ROOT.resolve("sample-data/labels.txt").toString();

  /** The images compared: a part of the sample (PNGs and JPEGs), to keep the test short. */
  private static final String GLOB = "img_00*";

  /** Same partitions (by path) and sort in every run, so the model sees the same batches. */
  private static final int PARTITIONS = 2;

  private static SparkSession spark;
  private static Path dir;
  private static Map<String, Row> cli;

  @BeforeAll
  static void runTheCommandLine() throws IOException {
    spark = TestSpark.session(SaliencyApiTest.class);
    dir = Files.createTempDirectory("saliency-api");
    Path out = dir.resolve("cli");
    SaliencyJob.run(
        spark,
        JobOptions.parse(
            "--input",
            IMAGES,
            "--input-glob",
            GLOB,
            "--model",
            MODEL,
            "--labels",
            LABELS,
            "--manifest",
            ROOT.resolve("sample-data/manifest.csv").toString(),
            "--output",
            out.toString(),
            "--methods",
            "gradient,gradcam",
            "--image-size",
            "128",
            "--batch-size",
            "8",
            "--micro-batch-size",
            "5",
            "--partitions",
            Integer.toString(PARTITIONS),
            "--run-id",
            "cli"));
    cli = byPathAndMethod(spark.read().parquet(out.resolve("heatmaps").toString()).collectAsList());
    assertThat(cli).hasSize(20);
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  private static Map<String, Row> byPathAndMethod(List<Row> rows) {
    Map<String, Row> out = new HashMap<>();
    for (Row r : rows) {
      out.put(r.getString(r.fieldIndex("path")) + "|" + r.getString(r.fieldIndex("method")), r);
    }
    return out;
  }

  private static SaliencyTransformer sampleTransformer() {
    return new SaliencyTransformer()
        .setModel(MODEL)
        .setOption(JobOptions.LABELS, LABELS)
        .setOption(JobOptions.METHODS, List.of("gradient", "gradcam"))
        .setOption(JobOptions.IMAGE_SIZE, 128)
        .setOption(JobOptions.BATCH_SIZE, 8)
        .setOption(JobOptions.MICRO_BATCH_SIZE, 5)
        .setOption(JobOptions.PARTITIONS, PARTITIONS)
        .setOption(JobOptions.RUN_ID_OPTION, "transformer");
  }

  /** Runs {@code action} in its own job group and returns how many Spark jobs it started. */
  private static <T> int jobsStartedBy(String group, Supplier<T> action) {
    spark.sparkContext().setJobGroup(group, group, false);
    try {
      T unused = action.get(); // run for the Spark jobs it starts
    } finally {
      spark.sparkContext().clearJobGroup();
    }
    return spark.sparkContext().statusTracker().getJobIdsForGroup(group).length;
  }

  private static void assertSameHeatmaps(List<Row> rows, boolean sameImageId) {
    assertThat(rows).hasSize(cli.size());
    for (Row a : rows) {
      String key = a.getString(a.fieldIndex("path")) + "|" + a.getString(a.fieldIndex("method"));
      Row b = cli.get(key);
      assertThat(b).as(key).isNotNull();
      for (String column :
          List.of(
              "width",
              "height",
              "target_class",
              "target_name",
              "target_score",
              "top_classes",
              "top_scores",
              "heatmap_min",
              "heatmap_max",
              "sal_mean",
              "sal_entropy",
              "sal_gini",
              "peak_x",
              "peak_y",
              "model_id")) {
        assertThat((Object) a.getAs(column)).as(key + " " + column).isEqualTo(b.getAs(column));
      }
      assertThat((byte[]) a.getAs("heatmap")).as(key).isEqualTo((byte[]) b.getAs("heatmap"));
      if (sameImageId) {
        assertThat(a.getString(a.fieldIndex("image_id")))
            .isEqualTo(b.getString(b.fieldIndex("image_id")));
      }
    }
  }

  @Test
  void javaApiOnBinaryFilesGivesTheCommandLineHeatmapsLazily() {
    Dataset<Row> files =
        spark.read().format("binaryFile").option("pathGlobFilter", GLOB).load(IMAGES);
    SaliencyExplainer explainer =
        SaliencyExplainer.builder()
            .setModel(MODEL)
            .option(JobOptions.LABELS, LABELS)
            .option(JobOptions.METHODS, List.of("gradient", "gradcam"))
            .option(JobOptions.IMAGE_SIZE, 128)
            .option(JobOptions.BATCH_SIZE, 8)
            .option(JobOptions.MICRO_BATCH_SIZE, 5)
            .option(JobOptions.PARTITIONS, PARTITIONS)
            .option(JobOptions.RUN_ID_OPTION, "api")
            .build();
    SaliencyResult[] result = new SaliencyResult[1];
    assertThat(jobsStartedBy("api-explain", () -> result[0] = explainer.explain(files))).isZero();
    assertThat(result[0].heatmaps().columns())
        .containsExactlyElementsOf(ResultSchema.HEATMAP_COLUMNS);
    assertSameHeatmaps(result[0].heatmaps().collectAsList(), true);
    assertThat(result[0].quarantine().count()).isZero();
  }

  @Test
  void transformerOnTheImageSourceInASavedPipelineGivesTheCommandLineHeatmaps() throws IOException {
    Dataset<Row> images = spark.read().format("image").option("pathGlobFilter", GLOB).load(IMAGES);
    Pipeline pipeline =
        new Pipeline()
            .setStages(
                new PipelineStage[] {
                  sampleTransformer().setInputCol("image"),
                  new SQLTransformer().setStatement("SELECT * FROM __THIS__ WHERE kind = 'heatmap'")
                });
    String saved = dir.resolve("pipeline").toString();
    pipeline.fit(images).write().overwrite().save(saved);
    PipelineModel loaded = PipelineModel.load(saved);
    // The image source decodes with ImageIO.read and stores BGR bytes; the decoder turns them into
    // the same RGB
    // as the command line's own decoding of these 8-bit sRGB PNGs and JPEGs without ICC profile or
    // EXIF
    // orientation, so every heatmap matches byte for byte. (A JPEG with an ICC profile or an EXIF
    // rotation would
    // differ: the image source applies the profile and ignores the rotation; the command line does
    // the opposite.)
    assertSameHeatmaps(loaded.transform(images).collectAsList(), false);
  }

  @Test
  void savedTransformerLoadsWithTheSameParams() throws IOException {
    SaliencyTransformer t =
        sampleTransformer()
            .setOption(JobOptions.MEAN, List.of(0.5f, 0.5f, 0.5f))
            .setOption(JobOptions.TARGET, Target.LABEL)
            .setLabelCol("cls");
    String path = dir.resolve("transformer").toString();
    t.write().overwrite().save(path);
    SaliencyTransformer loaded = SaliencyTransformer.load(path);
    assertThat(loaded.uid()).isEqualTo(t.uid());
    for (Param<?> p : t.params()) {
      assertThat(loaded.isSet(loaded.getParam(p.name()))).as(p.name()).isEqualTo(t.isSet(p));
      assertThat(loaded.isDefined(loaded.getParam(p.name())))
          .as(p.name())
          .isEqualTo(t.isDefined(p));
      if (t.isDefined(p)) {
        assertThat(loaded.getOrDefault(loaded.getParam(p.name())))
            .as(p.name())
            .isEqualTo(t.getOrDefault(p));
      }
    }
    assertThat(loaded.getOption(JobOptions.MEAN)).contains(List.of(0.5f, 0.5f, 0.5f));
    assertThat(loaded.getLabelCol()).isEqualTo("cls");
    assertThat(loaded.explainer().config())
        .usingRecursiveComparison()
        .isEqualTo(t.explainer().config());
  }

  @Test
  void unusableImagesAreQuarantinedAndLabelsCanBeTheTarget() throws IOException {
    Path input = Files.createDirectories(dir.resolve("mixed"));
    Files.copy(ROOT.resolve("sample-data/images/img_001.png"), input.resolve("a.png"));
    Files.writeString(input.resolve("b.png"), "not an image");
    // dropInvalid=false keeps the text file as an "invalid image" row; it is explained from its
    // file instead.
    Dataset<Row> images =
        spark
            .read()
            .format("image")
            .option("dropInvalid", false)
            .load(input.toString())
            .withColumn("cls", lit(2.0));
    List<Row> rows =
        sampleTransformer()
            .setInputCol("image")
            .setOption(JobOptions.TARGET, Target.LABEL)
            .setLabelCol("cls")
            .setOption(JobOptions.METHODS, List.of("gradcam"))
            .setOption(
                JobOptions.PARTITIONS,
                0) // keeps the image source's partitions: no shuffle of pixels
            .transform(images)
            .orderBy("path")
            .collectAsList();
    assertThat(rows).hasSize(2);
    Row heatmap = rows.get(0);
    assertThat(heatmap.getString(heatmap.fieldIndex(ResultSchema.KIND)))
        .isEqualTo(ResultSchema.KIND_HEATMAP);
    assertThat(heatmap.getInt(heatmap.fieldIndex("target_class"))).isEqualTo(2);
    // A class index becomes the class's name from the labels file, as the command line's labels
    // read.
    assertThat(heatmap.getString(heatmap.fieldIndex("label"))).isEqualTo("triangle");
    assertThat(heatmap.getString(heatmap.fieldIndex("target_name"))).isEqualTo("triangle");
    Row bad = rows.get(1);
    assertThat(bad.getString(bad.fieldIndex(ResultSchema.KIND)))
        .isEqualTo(ResultSchema.KIND_QUARANTINE);
    assertThat(bad.getString(bad.fieldIndex("path"))).endsWith("/b.png");
    assertThat(bad.getString(bad.fieldIndex("reason"))).isEqualTo("unsupported_format");
    assertThat(bad.getString(bad.fieldIndex("message")))
        .startsWith("not a recognised image format");
  }

  @Test
  void transformSchemaRejectsBadParamsAndColumnsBeforeAnyJob() {
    Dataset<Row> images = spark.read().format("image").load(IMAGES);
    StructType schema = images.schema();
    assertThat(
            jobsStartedBy(
                "bad-params",
                () -> {
                  assertThatThrownBy(
                          () ->
                              new Pipeline()
                                  .setStages(
                                      new PipelineStage[] {
                                        sampleTransformer().setOption(JobOptions.IMAGE_SIZE, 3)
                                      })
                                  .fit(images))
                      .hasMessage("Cannot use imageSize: '3' must be between 8 and 4096");
                  return null;
                }))
        .isZero();
    assertThatThrownBy(() -> new SaliencyTransformer().setInputCol("image").transformSchema(schema))
        .hasMessage("Cannot use model: it is required (TorchScript model file URI)");
    assertThatThrownBy(
            () ->
                withParam(sampleTransformer(), "methods", new String[] {"gradient", "gradcm"})
                    .transformSchema(schema))
        .hasMessage(
            "Cannot use methods: unknown method 'gradcm'; known: "
                + String.join(", ", org.sparksaliency.job.method.MethodRegistry.names()));
    assertThatThrownBy(
            () ->
                withParam(sampleTransformer(), "rolloutHeadFusion", "min").transformSchema(schema))
        .hasMessage("Cannot use rolloutHeadFusion: unknown fusion 'min'; known: mean, max");
    assertThatThrownBy(
            () ->
                withParam(sampleTransformer(), "mean", new double[] {0.5, 0.5})
                    .transformSchema(schema))
        .hasMessage("Cannot use mean: '0.5,0.5' must be three comma-separated numbers (R,G,B)");
    assertThatThrownBy(() -> sampleTransformer().transformSchema(schema))
        .hasMessage("Cannot use inputCol: the images have no column 'content' (columns: image)");
    assertThatThrownBy(
            () ->
                sampleTransformer()
                    .setInputCol("image")
                    .setOption(JobOptions.TARGET, Target.LABEL)
                    .transformSchema(schema))
        .hasMessage(
            "Cannot use target: 'label' needs a label column 'label' in the images (columns: image)");
    StructType numbers = new StructType().add("image", DataTypes.IntegerType);
    assertThatThrownBy(() -> sampleTransformer().setInputCol("image").transformSchema(numbers))
        .hasMessage(
            "Cannot use inputCol: column 'image' is int; expected binary (file content), string (file path) or "
                + "Spark's image struct (origin, height, width, nChannels, mode, data)");
    StructType noMode =
        new StructType()
            .add(
                "image",
                new StructType()
                    .add("origin", DataTypes.StringType)
                    .add("data", DataTypes.BinaryType));
    assertThatThrownBy(() -> sampleTransformer().setInputCol("image").transformSchema(noMode))
        .hasMessage(
            "Cannot use inputCol: struct column 'image' has no int field 'height'; "
                + "expected Spark's image struct (origin, height, width, nChannels, mode, data)");
    StructType bytesOnly = new StructType().add("content", DataTypes.BinaryType);
    assertThatThrownBy(() -> sampleTransformer().transformSchema(bytesOnly))
        .hasMessage(
            "Cannot use pathCol: binary input 'content' needs a string column 'path' naming each image (columns: content)");
  }

  @Test
  void builderNamesTheParameterAndModelShaIsChecked() {
    assertThatThrownBy(() -> SaliencyExplainer.builder().build())
        .hasMessage("Cannot use model: it is required (TorchScript model file URI)");
    assertThatThrownBy(
            () ->
                SaliencyExplainer.builder()
                    .setModel(MODEL)
                    .option(JobOptions.HEATMAP_SIZE, 0)
                    .build())
        .hasMessage("Cannot use heatmapSize: '0' must be between 1 and 4096");
    assertThatThrownBy(
            () -> SaliencyExplainer.builder().setModel(MODEL).option(Rollout.DISCARD, 1.0).build())
        .hasMessage("Cannot use rolloutDiscard: '1.0' must be at least 0 and below 1");
    assertThatThrownBy(() -> SaliencyExplainer.builder().setModel(MODEL).optInputCol(" ").build())
        .hasMessage("Cannot use inputCol: it must name a column");
    Dataset<Row> files =
        spark.read().format("binaryFile").option("pathGlobFilter", "img_000.jpg").load(IMAGES);
    String wrong = "0".repeat(64);
    assertThatThrownBy(
            () ->
                SaliencyExplainer.builder()
                    .setModel(MODEL)
                    .option(JobOptions.MODEL_SHA256, wrong)
                    .option(JobOptions.TARGET, Target.PREDICTED)
                    .build()
                    .explain(files))
        .hasMessageStartingWith("Cannot use modelSha256: model " + MODEL + " has sha-256 ")
        .hasMessageEndingWith(", not " + wrong);
  }

  /** Sets a param by name with a raw value, as a Scala or Python notebook would. */
  private static SaliencyTransformer withParam(SaliencyTransformer t, String name, Object value) {
    t.set(t.getParam(name), value);
    return t;
  }
}
