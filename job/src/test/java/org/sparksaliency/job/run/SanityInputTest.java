package org.sparksaliency.job.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparksaliency.job.config.DatasetConfig;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.input.ImageColumns;
import org.sparksaliency.job.input.ImageInput;
import org.sparksaliency.job.input.InputFiles;

/**
 * The sanity check reads its images as the explain stage does: from the Dataset's file content, or
 * the raw pixels of Spark's image struct, not only from the files at their paths. Three sample
 * images, the sample CNN, in a real local[2] Spark.
 */
class SanityInputTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final List<String> NAMES = List.of("img_000.jpg", "img_001.png", "img_002.jpg");
  @TempDir static Path dir;
  private static SparkSession spark;
  private static ExplainSettings settings;
  private static Path images;

  @BeforeAll
  static void start() throws IOException {
    spark = TestSpark.session(SanityInputTest.class);
    images = Files.createDirectories(dir.resolve("in"));
    for (String name : NAMES) {
      Files.copy(ROOT.resolve("sample-data/images").resolve(name), images.resolve(name));
    }
    DatasetConfig config =
        JobOptions.parse(
                "--input",
                images.toString(),
                "--model",
                ROOT.resolve("sample-data/model/shapes_cnn.pt").toString(),
                "--output",
                dir.resolve("out").toString(),
                "--methods",
                "gradient",
                "--image-size",
                "32",
                "--torch-threads",
                "1",
                "--sanity-check",
                "--sanity-images",
                "3",
                "--sanity-layers",
                "1")
            .dataset();
    settings = Saliency.settings(spark, config, System.currentTimeMillis());
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  /** The sanity rows of {@code images} read with {@code columns}, by path. */
  private static Map<String, Row> sanity(Dataset<Row> images, ImageColumns columns) {
    Dataset<Row> rows =
        ImageInput.adapt(images, columns, settings.explain().target(), settings.labels());
    Map<String, Row> byPath = new TreeMap<>();
    for (Row r : SanityCheck.rows(rows, settings).collectAsList()) {
      byPath.put(r.getString(r.fieldIndex("path")), r);
    }
    return byPath;
  }

  private static Map<String, Row> fromFiles() {
    return sanity(
        spark.read().format("binaryFile").load(images.toString()).select("path", "length"),
        ImageColumns.FILE_PATHS);
  }

  private static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  @Test
  void binaryContentIsReadFromTheDatasetNotFromItsPath() throws IOException {
    // Paths no filesystem can open: only the content column holds the images.
    List<Row> rows = new ArrayList<>();
    for (String name : NAMES) {
      rows.add(
          RowFactory.create("gone:/nowhere/" + name, Files.readAllBytes(images.resolve(name))));
    }
    StructType schema =
        new StructType().add("path", DataTypes.StringType).add("content", DataTypes.BinaryType);
    Map<String, Row> fromContent =
        sanity(spark.createDataFrame(rows, schema), ImageColumns.BINARY_FILE);

    Map<String, Row> fromFiles = fromFiles();
    assertThat(fromContent).hasSize(NAMES.size());
    assertThat(fromFiles).hasSize(NAMES.size());
    for (Map.Entry<String, Row> e : fromFiles.entrySet()) {
      Row same = fromContent.get("gone:/nowhere/" + name(e.getKey()));
      // The same bytes give the same image_id, target and maps, so the same similarity.
      assertThat(same.<String>getAs("image_id")).isEqualTo(e.getValue().<String>getAs("image_id"));
      assertThat(same.<Integer>getAs("target_class"))
          .isEqualTo(e.getValue().<Integer>getAs("target_class"));
      assertThat(same.<Double>getAs("spearman")).isEqualTo(e.getValue().<Double>getAs("spearman"));
    }
  }

  @Test
  void anImageStructIsExplainedFromItsPixels() {
    Dataset<Row> structs = spark.read().format("image").load(images.toString());
    Map<String, Row> fromPixels = sanity(structs, new ImageColumns("image", "image", "label"));

    Map<String, Row> fromFiles = fromFiles();
    assertThat(fromPixels.keySet()).isEqualTo(fromFiles.keySet());
    Map<String, String> pixelIds = new TreeMap<>();
    for (Row s : structs.select("image.origin", "image.data").collectAsList()) {
      pixelIds.put(name(s.getString(0)), InputFiles.sha256((byte[]) s.get(1)));
    }
    for (Row r : fromPixels.values()) {
      String path = r.getAs("path");
      // Its id is the hash of the pixels it was explained from, not of the file at its path.
      assertThat(r.<String>getAs("image_id")).isEqualTo(pixelIds.get(name(path)));
      assertThat(r.<String>getAs("image_id"))
          .isNotEqualTo(fromFiles.get(path).<String>getAs("image_id"));
      assertThat(r.<Double>getAs("spearman")).isNotNull();
    }
  }
}
