package org.sparksaliency.udf.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparksaliency.udf.HeatmapSql;

/**
 * The functions as {@link HeatmapFunctions#register} puts them on a plain SparkSession (no Hive),
 * called from SQL on small maps whose results are worked out by hand here.
 */
class HeatmapFunctionsTest {
  private static final String H =
      "struct(heatmap, heatmap_min, heatmap_max, heatmap_height, heatmap_width)";
  private static SparkSession spark;

  // 2 x 4 cells, range [0, 2]: raw = 2 * byte / 255 = 0, 0.4, 0.8, 2 / 0, 0, 2, 0
  private static final byte[] A = bytes(0, 51, 102, 255, 0, 0, 255, 0);
  // A with its first two ranks swapped (no ties): Spearman 1 - 6 * 2 / (8 * 63)
  private static final byte[] RAMP = bytes(10, 20, 30, 40, 50, 60, 70, 80);
  private static final byte[] RAMP_SWAPPED = bytes(20, 10, 30, 40, 50, 60, 70, 80);

  @BeforeAll
  static void start() {
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName(HeatmapFunctionsTest.class.getSimpleName())
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
    HeatmapFunctions.register(spark);
    StructType schema =
        new StructType()
            .add("name", DataTypes.StringType)
            .add("grp", DataTypes.StringType)
            .add("heatmap", DataTypes.BinaryType)
            .add("heatmap_min", DataTypes.FloatType)
            .add("heatmap_max", DataTypes.FloatType)
            .add("heatmap_height", DataTypes.IntegerType)
            .add("heatmap_width", DataTypes.IntegerType);
    List<Row> rows =
        List.of(
            RowFactory.create("a", "g", A, 0f, 2f, 2, 4),
            RowFactory.create("ramp", "g", RAMP, 0f, 1f, 2, 4),
            RowFactory.create("swapped", "s", RAMP_SWAPPED, 0f, 1f, 2, 4),
            RowFactory.create("none", "s", null, null, null, 2, 4),
            RowFactory.create("flat", "f", new byte[8], 5f, 5f, 2, 4),
            RowFactory.create("small", "z", bytes(0, 255), 0f, 1f, 1, 2));
    spark.createDataFrame(rows, schema).createOrReplaceTempView("maps");
  }

  @AfterAll
  static void stop() {
    spark.stop();
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  @Test
  void registersEveryFunction() throws IOException {
    // The functions docs/tables.md ("SQL functions") documents, in its order: "|
    // `heatmap_decode(h)` | ..." and so on.
    java.util.regex.Matcher documented =
        java.util.regex.Pattern.compile("(?m)^\\| `(heatmap_[a-z_]+)\\(")
            .matcher(java.nio.file.Files.readString(java.nio.file.Path.of("../docs/tables.md")));
    List<String> names = new java.util.ArrayList<>();
    while (documented.find()) {
      names.add(documented.group(1));
    }
    assertThat(names).hasSize(9);
    assertThat(HeatmapSql.FUNCTIONS).containsExactlyElementsOf(names);
    for (String name : names) {
      assertThat(spark.catalog().functionExists(name)).as(name).isTrue();
    }
  }

  @Test
  void decodeGivesTheRawValues() {
    List<Float> values =
        one("SELECT heatmap_decode(" + H + ") FROM maps WHERE name = 'a'").getList(0);
    assertThat(values).hasSize(8);
    float[] expected = {0, 0.4f, 0.8f, 2, 0, 0, 2, 0};
    for (int i = 0; i < 8; i++) {
      assertThat(values.get(i)).isCloseTo(expected[i], within(1e-6f));
    }
  }

  @Test
  void resizeAveragesAreasAndReencodes() {
    // 2 x 4 -> 2 x 2: each new cell is the mean of two neighbours: 0.2, 1.4 / 0, 1.0
    Row r = one("SELECT heatmap_resize(" + H + ", 2) FROM maps WHERE name = 'a'").getStruct(0);
    assertThat(r.schema().fieldNames()).containsExactlyElementsOf(HeatmapSql.FIELDS);
    assertThat(r.getFloat(1)).isEqualTo(0f);
    assertThat(r.getFloat(2)).isCloseTo(1.4f, within(1e-6f));
    assertThat(r.getInt(3)).isEqualTo(2);
    assertThat(r.getInt(4)).isEqualTo(2);
    assertThat(unsigned((byte[]) r.get(0)))
        .containsExactly(
            (int) Math.round(0.2 / 1.4 * 255), 255, 0, (int) Math.round(1.0 / 1.4 * 255));
    // One cell: the mean of all, a constant map.
    Row one = one("SELECT heatmap_resize(" + H + ", 1) FROM maps WHERE name = 'a'").getStruct(0);
    assertThat(one.getFloat(1)).isCloseTo(5.2f / 8, within(1e-6f)).isEqualTo(one.getFloat(2));
  }

  @Test
  void massInBoxTakesDecimalLiteralsAndCountsTheRightHalf() {
    // columns 2 and 3: (0.8 + 2 + 2 + 0) / 5.2
    Row r =
        one(
            "SELECT heatmap_mass_in_box("
                + H
                + ", 0.5, 0, 1, 1), heatmap_mass_in_box("
                + H
                + ", 0.0D, 0.0D, 1.0D, 1.0D) FROM maps WHERE name = 'a'");
    assertThat(r.getDouble(0)).isCloseTo(4.8 / 5.2, within(1e-6));
    assertThat(r.getDouble(1)).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void iouComparesTheBoxWithTheCellsAboveTheQuantile() {
    // q = 0.5 of 8 cells: nearest rank 4 of 0,0,0,0,0.4,0.8,2,2 is 0, so the mask is the 4 non-zero
    // cells
    // (area 0.5). The top-right quarter (area 0.25) holds two of them: IoU 0.25 / 0.5.
    Row r =
        one(
            "SELECT heatmap_iou("
                + H
                + ", 0.5, 0.5, 0, 1, 0.5), heatmap_iou("
                + H
                + ", 1, 0, 0, 1, 1) FROM maps WHERE name = 'a'");
    assertThat(r.getDouble(0)).isCloseTo(0.5, within(1e-9));
    assertThat(r.getDouble(1)).as("q = 1 leaves an empty mask").isZero();
  }

  @Test
  void peakIsTheCentreOfTheFirstLargestCell() {
    Row p = one("SELECT heatmap_peak(" + H + ") FROM maps WHERE name = 'a'").getStruct(0);
    assertThat(p.getDouble(p.fieldIndex("x"))).isCloseTo(3.5 / 4, within(1e-12));
    assertThat(p.getDouble(p.fieldIndex("y"))).isCloseTo(0.5 / 2, within(1e-12));
  }

  @Test
  void pngHasOnePixelPerCellInTheColormap() throws IOException {
    Row r =
        one(
            "SELECT heatmap_png("
                + H
                + ", 'viridis'), heatmap_png("
                + H
                + ", 'JET') FROM maps WHERE name = 'a'");
    BufferedImage viridis = ImageIO.read(new ByteArrayInputStream((byte[]) r.get(0)));
    assertThat(viridis.getWidth()).isEqualTo(4);
    assertThat(viridis.getHeight()).isEqualTo(2);
    // viridis ends: #440154 and #fde725
    assertThat(viridis.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x440154);
    assertThat(viridis.getRGB(3, 0) & 0xFFFFFF).isEqualTo(0xFDE725);
    BufferedImage jet = ImageIO.read(new ByteArrayInputStream((byte[]) r.get(1)));
    assertThat(jet.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x000080);
    assertThat(jet.getRGB(2, 1) & 0xFFFFFF).isEqualTo(0x800000);
  }

  @Test
  void overlayBlendsTheJetMapOverTheImage() throws IOException {
    BufferedImage image = new BufferedImage(8, 4, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 8; x++) {
        image.setRGB(x, y, 0x6496C8); // (100, 150, 200)
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    spark
        .createDataFrame(
            List.of(RowFactory.create((Object) png.toByteArray())),
            new StructType().add("content", DataTypes.BinaryType))
        .createOrReplaceTempView("images");
    byte[] out =
        (byte[])
            one("SELECT heatmap_overlay(i.content, "
                    + H
                    + ", 0.25) FROM images i, maps WHERE name = 'a'")
                .get(0);
    BufferedImage blended = ImageIO.read(new ByteArrayInputStream(out));
    assertThat(blended.getWidth()).isEqualTo(8);
    assertThat(blended.getHeight()).isEqualTo(4);
    // Cell (row 0, col 3) covers pixels x 6..7, y 0..1; its value is 1: jet (128, 0, 0).
    assertThat(blended.getRGB(7, 1) & 0xFFFFFF)
        .isEqualTo(rgb(0.75 * 100 + 0.25 * 128, 0.75 * 150, 0.75 * 200));
    // Cell (row 1, col 0) is 0: jet (0, 0, 128).
    assertThat(blended.getRGB(0, 3) & 0xFFFFFF).isEqualTo(rgb(75, 112.5, 0.75 * 200 + 0.25 * 128));
  }

  @Test
  void similarityIsSpearmanOfTheMagnitudes() {
    Row r = one("SELECT heatmap_similarity(" + H + ", " + H + ") FROM maps WHERE name = 'ramp'");
    assertThat(r.getDouble(0)).isCloseTo(1.0, within(1e-12));
    Row swapped =
        one(
            "SELECT heatmap_similarity(a.h, b.h) FROM (SELECT "
                + H
                + " AS h FROM maps WHERE name = 'ramp') a, "
                + "(SELECT "
                + H
                + " AS h FROM maps WHERE name = 'swapped') b");
    assertThat(swapped.getDouble(0)).isCloseTo(1 - 6.0 * 2 / (8 * 63), within(1e-12));
    Row flat = one("SELECT heatmap_similarity(" + H + ", " + H + ") FROM maps WHERE name = 'flat'");
    assertThat(flat.isNullAt(0)).as("a constant map has no ranking").isTrue();
  }

  @Test
  void avgIsTheMeanOfNormalisedMapsPerGroup() {
    Row r = one("SELECT heatmap_avg(" + H + ") FROM maps WHERE grp = 'g'").getStruct(0);
    // normalised maps: A / 255 and RAMP / 255; their mean re-encoded over its own range
    double[] mean = new double[8];
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (int i = 0; i < 8; i++) {
      mean[i] = ((A[i] & 0xFF) + (RAMP[i] & 0xFF)) / 255.0 / 2;
      lo = Math.min(lo, mean[i]);
      hi = Math.max(hi, mean[i]);
    }
    assertThat(r.getFloat(1)).isCloseTo((float) lo, within(1e-6f));
    assertThat(r.getFloat(2)).isCloseTo((float) hi, within(1e-6f));
    assertThat(r.getInt(3)).isEqualTo(2);
    assertThat(r.getInt(4)).isEqualTo(4);
    int[] stored = unsigned((byte[]) r.get(0)).stream().mapToInt(Integer::intValue).toArray();
    for (int i = 0; i < 8; i++) {
      assertThat(stored[i]).isEqualTo((int) Math.round((mean[i] - lo) / (hi - lo) * 255));
    }
    // Null maps are skipped; a group of only nulls gives a struct of nulls, which the functions
    // take as null.
    assertThat(
            one("SELECT heatmap_avg(" + H + ").heatmap_height FROM maps WHERE grp = 's'").getInt(0))
        .isEqualTo(2);
    Row none =
        one(
            "SELECT a.heatmap, heatmap_peak(a) FROM (SELECT heatmap_avg("
                + H
                + ") AS a FROM maps WHERE name = 'none')");
    assertThat(none.isNullAt(0)).isTrue();
    assertThat(none.isNullAt(1)).isTrue();
  }

  @Test
  void ansiModeIsOnBySparkFourAndChangesNoAnswer() {
    String ansi = "spark.sql.ansi.enabled";
    if (spark.version().startsWith("4.")) {
      // Spark 4 turns ANSI SQL on by default: the other tests of this class ran under it.
      assertThat(spark.conf().get(ansi)).isEqualTo("true");
    }
    String perMap =
        "SELECT name, heatmap_decode("
            + H
            + "), heatmap_resize("
            + H
            + ", 2), heatmap_mass_in_box("
            + H
            + ", 0.5, 0, 1, 1), heatmap_iou("
            + H
            + ", 0.5, 0.5, 0, 1, 0.5), heatmap_peak("
            + H
            + "), heatmap_png("
            + H
            + ", 'jet'), heatmap_similarity("
            + H
            + ", "
            + H
            + ") FROM maps ORDER BY name";
    String perGroup = "SELECT grp, heatmap_avg(" + H + ") FROM maps GROUP BY grp ORDER BY grp";
    String before = spark.conf().get(ansi);
    try {
      spark.conf().set(ansi, "true");
      List<Row> mapsOn = spark.sql(perMap).collectAsList();
      List<Row> groupsOn = spark.sql(perGroup).collectAsList();
      spark.conf().set(ansi, "false");
      assertThat(spark.sql(perMap).collectAsList()).isEqualTo(mapsOn).hasSize(6);
      assertThat(spark.sql(perGroup).collectAsList()).isEqualTo(groupsOn).hasSize(4);
    } finally {
      spark.conf().set(ansi, before);
    }
  }

  @Test
  void nullHeatmapsGiveNull() {
    Row r =
        one(
            "SELECT heatmap_decode("
                + H
                + "), heatmap_peak("
                + H
                + "), heatmap_png("
                + H
                + ", 'jet'), "
                + "heatmap_mass_in_box("
                + H
                + ", 0, 0, 1, 1) FROM maps WHERE name = 'none'");
    for (int i = 0; i < 4; i++) {
      assertThat(r.isNullAt(i)).as("column %d", i).isTrue();
    }
  }

  @Test
  void fieldsOutOfOrderAreRejected() {
    assertThatThrownBy(
            () ->
                one(
                    "SELECT heatmap_peak(struct(heatmap, heatmap_max, heatmap_min, heatmap_height, heatmap_width)) FROM maps WHERE name = 'a'"))
        .hasStackTraceContaining(
            "Cannot compute heatmap_peak: h must be struct(heatmap, heatmap_min, heatmap_max, heatmap_height, heatmap_width) in this order");
  }

  @Test
  void badArgumentsAreRejectedWithTheirValues() {
    assertThatThrownBy(
            () -> one("SELECT heatmap_iou(" + H + ", 1.5, 0, 0, 1, 1) FROM maps WHERE name = 'a'"))
        .hasStackTraceContaining("Cannot compute heatmap_iou: q must be in [0, 1] (1.5)");
    assertThatThrownBy(
            () ->
                one(
                    "SELECT heatmap_mass_in_box("
                        + H
                        + ", 0.6, 0, 0.4, 1) FROM maps WHERE name = 'a'"))
        .hasStackTraceContaining(
            "Cannot compute heatmap_mass_in_box: the box must be finite with x0 <= x1 and y0 <= y1 (0.6, 0.0, 0.4, 1.0)");
    assertThatThrownBy(
            () -> one("SELECT heatmap_png(" + H + ", 'rainbow') FROM maps WHERE name = 'a'"))
        .hasStackTraceContaining("Cannot use colormap 'rainbow': unknown; known: viridis, jet");
    assertThatThrownBy(
            () -> one("SELECT heatmap_resize(" + H + ", 2.5) FROM maps WHERE name = 'a'"))
        .hasStackTraceContaining(
            "Cannot compute heatmap_resize: n must be an integer in [1, 4096] (2.5)");
    assertThatThrownBy(
            () ->
                one(
                    "SELECT heatmap_similarity(a.h, b.h) FROM (SELECT "
                        + H
                        + " AS h FROM maps WHERE name = 'a') a, (SELECT "
                        + H
                        + " AS h FROM maps WHERE name = 'small') b"))
        .hasStackTraceContaining(
            "Cannot compute heatmap_similarity: the maps differ in size (2 x 4 and 1 x 2)");
  }

  private static Row one(String sql) {
    List<Row> rows = spark.sql(sql).collectAsList();
    assertThat(rows).hasSize(1);
    return rows.get(0);
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static List<Integer> unsigned(byte[] b) {
    return java.util.stream.IntStream.range(0, b.length).mapToObj(i -> b[i] & 0xFF).toList();
  }

  private static int rgb(double r, double g, double b) {
    return (int) Math.round(r) << 16 | (int) Math.round(g) << 8 | (int) Math.round(b);
  }
}
