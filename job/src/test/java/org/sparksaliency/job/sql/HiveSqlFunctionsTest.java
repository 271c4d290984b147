package org.sparksaliency.job.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalog.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.run.TestSpark;
import org.sparksaliency.udf.HeatmapSql;

/**
 * spark-sql's way in: a Spark session with Hive support (embedded Derby metastore in a temp folder)
 * runs {@code conf/functions.sql} with {@code CREATE FUNCTION ... USING JAR}, then each function
 * over the sample job's output is checked against {@link HandHeatmap}, the test's own reading of
 * the encoding.
 */
class HiveSqlFunctionsTest {
  private static final String H =
      "struct(heatmap, heatmap_min, heatmap_max, heatmap_height, heatmap_width)";
  private static SparkSession spark;
  private static Path output;
  private static Path udfJar;
  private static List<String> statements;

  /** Every heatmap with each per-map function's result. */
  private static List<Row> rows;

  /** Manifest boxes in pixels by file name: x0, y0, x1, y1. */
  private static final Map<String, double[]> BOXES = new HashMap<>();

  @BeforeAll
  static void start() throws IOException {
    Path dir = Files.createTempDirectory("hive-sql");
    spark = HiveSession.start(HiveSqlFunctionsTest.class, "local[2]", dir, Map.of());
    output = SampleOutput.of(spark);
    udfJar = UdfJar.locate(dir);
    // spark-sql --hivevar udf_jar=... sets the same session variable that ${udf_jar} reads.
    spark.conf().set("udf_jar", udfJar.toString());
    statements =
        SqlText.statements(Files.readString(SampleOutput.ROOT.resolve("conf/functions.sql")));
    for (String s : statements) {
      spark.sql(s);
    }
    spark.read().parquet(output.resolve("heatmaps").toString()).createOrReplaceTempView("heatmaps");
    spark
        .read()
        .option("header", "true")
        .option("inferSchema", "true")
        .csv(SampleOutput.SAMPLE.resolve("manifest.csv").toString())
        .createOrReplaceTempView("boxes");
    for (String line :
        Files.readAllLines(SampleOutput.SAMPLE.resolve("manifest.csv")).subList(1, 41)) {
      String[] f = line.split(",");
      BOXES.put(
          fileName(f[0]),
          new double[] {
            Double.parseDouble(f[2]),
            Double.parseDouble(f[3]),
            Double.parseDouble(f[4]),
            Double.parseDouble(f[5])
          });
    }
    // One pass computes every per-map function; the tests below each check one column of it.
    rows =
        spark
            .sql(
                "SELECT hm.*, heatmap_decode("
                    + H
                    + ") AS decoded, "
                    + "heatmap_mass_in_box("
                    + H
                    + ", b.x0 / width, b.y0 / height, b.x1 / width, b.y1 / height) AS mass, "
                    + "heatmap_iou("
                    + H
                    + ", 0.9, b.x0 / width, b.y0 / height, b.x1 / width, b.y1 / height) AS iou, "
                    + "heatmap_peak("
                    + H
                    + ") AS p, heatmap_resize("
                    + H
                    + ", 28) AS r, "
                    + "heatmap_png("
                    + H
                    + ", 'viridis') AS v, heatmap_png(heatmap_resize("
                    + H
                    + ", 224), 'jet') AS j, "
                    + "heatmap_overlay(f.content, "
                    + H
                    + ", 0.4) AS o "
                    + "FROM heatmaps hm JOIN boxes b ON endswith(hm.path, '/' || b.path) "
                    + "JOIN binaryFile.`"
                    + SampleOutput.SAMPLE.resolve("images")
                    + "` f ON f.path = hm.path")
            .collectAsList();
    // Each test below checks every row: 40 sample images × 2 methods, each joined to its box and
    // its file.
    assertThat(rows).hasSize(80);
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  @Test
  void functionsSqlCreatesEveryFunctionPermanentlyFromTheJar() throws Exception {
    assertThat(statements).hasSize(HeatmapSql.FUNCTIONS.size());
    List<String> classes = UdfJar.entries(udfJar);
    for (String name : HeatmapSql.FUNCTIONS) {
      Function f = spark.catalog().getFunction(name);
      assertThat(f.isTemporary()).as(name).isFalse();
      assertThat(f.database()).isEqualTo("default");
      assertThat(f.className()).startsWith("org.sparksaliency.udf.hive.");
      assertThat(classes).contains(f.className().replace('.', '/') + ".class");
    }
    assertThat(
            spark.sql("SHOW USER FUNCTIONS").collectAsList().stream()
                .map(r -> r.getString(0))
                .toList())
        .containsAll(HeatmapSql.FUNCTIONS.stream().map(n -> "spark_catalog.default." + n).toList());
  }

  @Test
  void decodeGivesTheDocumentedRawValues() {
    assertThat(rows).hasSize(80);
    for (Row r : rows) {
      HandHeatmap h = HandHeatmap.of(r);
      double[] expected = h.raw();
      List<Float> decoded = r.getList(r.fieldIndex("decoded"));
      assertThat(decoded).hasSize(56 * 56);
      double sum = 0;
      for (int i = 0; i < expected.length; i++) {
        assertThat((double) decoded.get(i))
            .isCloseTo(expected[i], within(1e-6 * Math.max(1, Math.abs(h.max))));
        sum += decoded.get(i);
      }
      // The table's sal_mean was computed before quantisation: within half a step of the decoded
      // mean.
      assertThat(sum / expected.length)
          .isCloseTo(r.getDouble(r.fieldIndex("sal_mean")), within(h.halfStep() + 1e-6));
    }
  }

  @Test
  void massInBoxAndIouMatchAHandComputationOverTheManifestBoxes() {
    for (Row r : rows) {
      HandHeatmap h = HandHeatmap.of(r);
      double[] px = BOXES.get(fileName(r.getString(r.fieldIndex("path"))));
      double w = r.getInt(r.fieldIndex("width"));
      double ht = r.getInt(r.fieldIndex("height"));
      double[] box = {px[0] / w, px[1] / ht, px[2] / w, px[3] / ht};
      double mass = r.getDouble(r.fieldIndex("mass"));
      // 1e-6: the function decodes in float (as EncodedHeatmap does), this in double.
      assertThat(mass).isCloseTo(h.massInBox(box[0], box[1], box[2], box[3]), within(1e-6));
      // box_mass in the table was computed before quantisation; the decoded map agrees to a few
      // steps.
      assertThat(mass).isCloseTo(r.getDouble(r.fieldIndex("box_mass")), within(0.01));
      assertThat(r.getDouble(r.fieldIndex("iou")))
          .isCloseTo(h.iou(0.9, box[0], box[1], box[2], box[3]), within(1e-6));
    }
  }

  @Test
  void peakIsTheCentreOfTheFirstLargestCell() {
    for (Row r : rows) {
      HandHeatmap h = HandHeatmap.of(r);
      int peak = h.peak();
      Row p = r.getStruct(r.fieldIndex("p"));
      assertThat(p.getDouble(p.fieldIndex("x"))).isEqualTo((peak % 56 + 0.5) / 56);
      assertThat(p.getDouble(p.fieldIndex("y"))).isEqualTo((peak / 56 + 0.5) / 56);
    }
  }

  @Test
  void similarityIsSpearmanBetweenTheTwoMethodsMaps() {
    List<Row> pairs =
        spark
            .sql(
                "SELECT g.heatmap AS g_bytes, g.heatmap_min AS g_min, g.heatmap_max AS g_max, c.heatmap AS c_bytes, "
                    + "c.heatmap_min AS c_min, c.heatmap_max AS c_max, heatmap_similarity(struct(g.heatmap, g.heatmap_min, "
                    + "g.heatmap_max, g.heatmap_height, g.heatmap_width), struct(c.heatmap, c.heatmap_min, c.heatmap_max, "
                    + "c.heatmap_height, c.heatmap_width)) AS rho FROM heatmaps g JOIN heatmaps c ON g.path = c.path "
                    + "WHERE g.method = 'gradient' AND c.method = 'gradcam'")
            .collectAsList();
    assertThat(pairs).hasSize(40);
    for (Row r : pairs) {
      HandHeatmap g = new HandHeatmap(56, 56, r.getFloat(1), r.getFloat(2), (byte[]) r.get(0));
      HandHeatmap c = new HandHeatmap(56, 56, r.getFloat(4), r.getFloat(5), (byte[]) r.get(3));
      assertThat(r.getDouble(6))
          .isCloseTo(HandHeatmap.spearman(g, c), within(1e-9))
          .isBetween(-1.0, 1.0);
    }
  }

  @Test
  void resizeAveragesTwoByTwoBlocksAndReencodes() {
    for (Row row : rows) {
      double[] raw = HandHeatmap.of(row).raw();
      double[] block = new double[28 * 28];
      for (int i = 0; i < raw.length; i++) {
        block[(i / 56 / 2) * 28 + (i % 56) / 2] += raw[i] / 4;
      }
      double lo = java.util.Arrays.stream(block).min().orElseThrow();
      double hi = java.util.Arrays.stream(block).max().orElseThrow();
      Row r = row.getStruct(row.fieldIndex("r"));
      assertThat(r.getInt(3)).isEqualTo(28);
      assertThat(r.getInt(4)).isEqualTo(28);
      assertThat((double) r.getFloat(1)).isCloseTo(lo, within(1e-6 * Math.max(1, hi)));
      assertThat((double) r.getFloat(2)).isCloseTo(hi, within(1e-6 * Math.max(1, hi)));
      byte[] b = (byte[]) r.get(0);
      for (int i = 0; i < block.length; i++) {
        // +-1: the function works in float, this in double, and a value can sit on a rounding
        // boundary.
        assertThat(b[i] & 0xFF)
            .isCloseTo((int) Math.round((block[i] - lo) / (hi - lo) * 255), within(1));
      }
    }
  }

  @Test
  void pngHasOnePixelPerCellInViridisAndJetAfterResizing() throws IOException {
    for (Row r : rows) {
      HandHeatmap h = HandHeatmap.of(r);
      BufferedImage v = png(r.get(r.fieldIndex("v")));
      assertThat(v.getWidth()).isEqualTo(56);
      assertThat(v.getHeight()).isEqualTo(56);
      int peak = h.peak();
      assertThat(h.bytes[peak]).isEqualTo(255);
      // viridis(1) = #fde725, viridis(0) = #440154 (matplotlib)
      assertThat(v.getRGB(peak % 56, peak / 56) & 0xFFFFFF).isEqualTo(0xFDE725);
      int low =
          java.util.stream.IntStream.range(0, h.bytes.length)
              .filter(i -> h.bytes[i] == 0)
              .findFirst()
              .orElseThrow();
      assertThat(v.getRGB(low % 56, low / 56) & 0xFFFFFF).isEqualTo(0x440154);
      BufferedImage j = png(r.get(r.fieldIndex("j")));
      assertThat(j.getWidth()).isEqualTo(224);
      // 56 -> 224 repeats each cell 4 x 4; jet(1) = (0.5, 0, 0), jet(0) = (0, 0, 0.5)
      assertThat(j.getRGB(peak % 56 * 4 + 2, peak / 56 * 4 + 1) & 0xFFFFFF).isEqualTo(0x800000);
      assertThat(j.getRGB(low % 56 * 4 + 3, low / 56 * 4) & 0xFFFFFF).isEqualTo(0x000080);
    }
  }

  @Test
  void overlayBlendsJetOverTheImageAtItsOwnSize() throws IOException {
    for (Row r : rows) {
      HandHeatmap h = HandHeatmap.of(r);
      int w = r.getInt(r.fieldIndex("width"));
      int ht = r.getInt(r.fieldIndex("height"));
      BufferedImage o = png(r.get(r.fieldIndex("o")));
      assertThat(o.getWidth()).isEqualTo(w);
      assertThat(o.getHeight()).isEqualTo(ht);
      // A pixel wholly inside the peak cell (value 1, jet (128, 0, 0)) blends 0.6 image + 0.4
      // colour.
      int peak = h.peak();
      int x = (int) Math.ceil(peak % 56 * w / 56.0);
      int y = (int) Math.ceil(peak / 56 * ht / 56.0);
      assertThat(x + 1).isLessThanOrEqualTo((int) Math.floor((peak % 56 + 1) * w / 56.0));
      assertThat(y + 1).isLessThanOrEqualTo((int) Math.floor((peak / 56 + 1) * ht / 56.0));
      int original =
          ImageIO.read(Path.of(java.net.URI.create(r.getString(r.fieldIndex("path")))).toFile())
              .getRGB(x, y);
      int expected =
          (int) Math.round(0.6 * (original >> 16 & 0xFF) + 0.4 * 128) << 16
              | (int) Math.round(0.6 * (original >> 8 & 0xFF)) << 8
              | (int) Math.round(0.6 * (original & 0xFF));
      assertThat(o.getRGB(x, y) & 0xFFFFFF).isEqualTo(expected);
    }
  }

  @Test
  void avgOfEachClassIsTheMeanOfNormalisedMapsAsInClassStats() {
    List<Row> means =
        spark
            .sql(
                "SELECT method, target_class, heatmap_avg("
                    + H
                    + ") AS m, collect_list(heatmap) AS members "
                    + "FROM heatmaps GROUP BY method, target_class")
            .collectAsList();
    Map<String, Row> stats = new HashMap<>();
    for (Row s : spark.read().parquet(output.resolve("class_stats").toString()).collectAsList()) {
      stats.put(s.getString(s.fieldIndex("method")) + s.getInt(s.fieldIndex("target_class")), s);
    }
    // A group per (method, predicted class) of the heatmaps, together holding every heatmap.
    assertThat(means)
        .hasSize(stats.size())
        .hasSize(
            (int)
                rows.stream()
                    .map(
                        r ->
                            r.getString(r.fieldIndex("method"))
                                + r.getInt(r.fieldIndex("target_class")))
                    .distinct()
                    .count());
    assertThat(means.stream().mapToInt(r -> r.getList(3).size()).sum()).isEqualTo(80);
    for (Row r : means) {
      List<byte[]> members = r.getList(3);
      double[] mean = new double[56 * 56];
      for (byte[] b : members) {
        for (int i = 0; i < mean.length; i++) {
          mean[i] += (b[i] & 0xFF) / 255.0 / members.size();
        }
      }
      double lo = java.util.Arrays.stream(mean).min().orElseThrow();
      double hi = java.util.Arrays.stream(mean).max().orElseThrow();
      Row m = r.getStruct(2);
      assertThat((double) m.getFloat(1)).isCloseTo(lo, within(1e-6));
      assertThat((double) m.getFloat(2)).isCloseTo(hi, within(1e-6));
      byte[] got = (byte[]) m.get(0);
      byte[] stored =
          (byte[])
              stats
                  .get(r.getString(0) + r.getInt(1))
                  .get(stats.get(r.getString(0) + r.getInt(1)).fieldIndex("mean_heatmap"));
      for (int i = 0; i < mean.length; i++) {
        assertThat(got[i] & 0xFF)
            .isCloseTo((int) Math.round((mean[i] - lo) / (hi - lo) * 255), within(1));
        assertThat(got[i] & 0xFF)
            .as("class_stats mean_heatmap")
            .isCloseTo(stored[i] & 0xFF, within(1));
      }
    }
  }

  @Test
  void aHeatmapArgumentOfAnotherShapeIsRejectedWhenTheQueryIsAnalysed() {
    assertThatThrownBy(
            () ->
                spark.sql(
                    "SELECT heatmap_peak(struct(heatmap, heatmap_max, heatmap_min, heatmap_height, heatmap_width)) FROM heatmaps"))
        .hasMessageContaining(
            "Cannot compute heatmap_peak: argument 1 must be struct(heatmap, heatmap_min, heatmap_max, heatmap_height, heatmap_width) in this order");
    assertThatThrownBy(() -> spark.sql("SELECT heatmap_iou(" + H + ", 0.5) FROM heatmaps"))
        .hasMessageContaining(
            "Cannot compute heatmap_iou: it takes 6 arguments (h, q, x0, y0, x1, y1), got 2");
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static BufferedImage png(Object bytes) throws IOException {
    return ImageIO.read(new ByteArrayInputStream((byte[]) bytes));
  }
}
