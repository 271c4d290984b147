package org.sparksaliency.job.visualize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sparksaliency.job.config.VisualizeOptions;
import org.sparksaliency.job.model.ExecutorModels;
import org.sparksaliency.job.model.FreshModelCache;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.run.TestSpark;

/**
 * {@code visualize} on the sample model in a real local[2] Spark: the four sample classes as four
 * tasks sharing the executor's model owner, a few steps each. The model cache starts empty, so the
 * run's loads can be counted whatever ran before in this JVM.
 */
@ExtendWith(FreshModelCache.class)
class VisualizeJobTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final int STEPS = 32;
  private static SparkSession spark;
  private static Path output;
  private static VisualizeJob.Summary summary;
  private static int loadsBefore;

  @BeforeAll
  static void run() throws IOException {
    spark = TestSpark.session(VisualizeJobTest.class);
    output = Files.createTempDirectory("visualize").resolve("out");
    loadsBefore = ExecutorModels.loadCount();
    summary =
        VisualizeJob.run(
            spark, VisualizeOptions.parse(args(output.toString(), "circle,square,triangle,cross")));
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  static String[] args(String out, String classes) {
    return new String[] {
      "--model",
      ROOT.resolve("sample-data/model/shapes_cnn.pt").toString(),
      "--labels",
      ROOT.resolve("sample-data/labels.txt").toString(),
      "--classes",
      classes,
      "--output",
      out,
      "--image-size",
      "128",
      "--steps",
      Integer.toString(STEPS),
      "--seed",
      "7",
      "--torch-threads",
      "1", // see GuidedSampleJobTest
      "--run-id",
      "visualize-test"
    };
  }

  @Test
  void theTargetLogitRisesForEveryClass() {
    List<Row> rows = summary.rows();
    assertThat(rows).extracting(r -> r.getInt(0)).containsExactly(0, 1, 2, 3);
    for (Row r : rows) {
      float initial = r.getFloat(r.fieldIndex("initial_logit"));
      float last = r.getFloat(r.fieldIndex("final_logit"));
      List<Float> trace = r.getList(r.fieldIndex("logit_trace"));
      System.out.printf(
          "class %s: logit %.3f -> %.3f, trace %s%n", r.getString(1), initial, last, trace);
      assertThat(r.getInt(r.fieldIndex("steps"))).isEqualTo(STEPS);
      assertThat(trace).hasSize(STEPS);
      assertThat(last)
          .as("final vs initial logit of %s", r.getString(1))
          .isGreaterThan(initial + 1f);
      // Rising over the steps, not only at the end: the last quarter is above the first quarter.
      double first =
          trace.subList(0, STEPS / 4).stream()
              .mapToDouble(Float::doubleValue)
              .average()
              .orElseThrow();
      double lastQuarter =
          trace.subList(STEPS - STEPS / 4, STEPS).stream()
              .mapToDouble(Float::doubleValue)
              .average()
              .orElseThrow();
      assertThat(lastQuarter).as("trace of %s", r.getString(1)).isGreaterThan(first);
    }
  }

  @Test
  void eachClassImageIsAPngOfTheImageSize() throws IOException {
    assertThat(summary.rows()).as("one per class of --classes").hasSize(4);
    for (Row r : summary.rows()) {
      String png = r.getString(r.fieldIndex("png"));
      assertThat(png)
          .endsWith(
              String.format(
                  "runs/visualize-test/png/class_%03d_%s.png", r.getInt(0), r.getString(1)));
      BufferedImage img = ImageIO.read(Path.of(URI.create(png).getPath()).toFile());
      assertThat(img.getWidth()).isEqualTo(128);
      assertThat(img.getHeight()).isEqualTo(128);
    }
  }

  @Test
  void allTasksUsedOneModelOwner() {
    assertThat(ExecutorModels.loadCount() - loadsBefore).isEqualTo(1);
  }

  @Test
  void theTableHasTheDocumentedColumns() {
    assertThat(spark.read().parquet(output.resolve("class_images").toString()).columns())
        .containsExactly(
            "target_class",
            "target_name",
            "steps",
            "initial_logit",
            "final_logit",
            "logit_trace",
            "image_size",
            "png",
            "seed",
            "model_id",
            "created_at",
            "run_id");
  }

  @Test
  void anUnknownClassNameIsRejectedBeforeAnyTask() {
    assertThatThrownBy(
            () ->
                VisualizeJob.run(
                    spark,
                    VisualizeOptions.parse(args(output.resolve("x").toString(), "circle,hexagon"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot use --classes: 'hexagon' is not a class name in --labels; known: circle, square, triangle, cross");
  }
}
