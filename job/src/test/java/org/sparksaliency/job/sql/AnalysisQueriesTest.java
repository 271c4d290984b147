package org.sparksaliency.job.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.run.TestSpark;
import org.sparksaliency.udf.spark.HeatmapFunctions;

/**
 * The worked analysis of {@code docs/analysis.md} and the DuckDB query of {@code docs/tables.md},
 * read from those files and run against the sample job's output (functions registered with {@link
 * HeatmapFunctions#register}); each result is compared with the same figures computed here from the
 * Parquet bytes by {@link HandHeatmap}.
 */
class AnalysisQueriesTest {
  private static SparkSession spark;
  private static Path output;
  private static String runId;
  private static List<String> blocks;

  /** Every heatmap row of the output, by method + "|" + path. */
  private static final Map<String, Row> ROWS = new TreeMap<>();

  /** Manifest boxes in pixels by file name: x0, y0, x1, y1. */
  private static final Map<String, double[]> BOXES = new HashMap<>();

  @BeforeAll
  static void start() throws IOException {
    spark = TestSpark.session(AnalysisQueriesTest.class);
    output = SampleOutput.of(spark);
    runId = SampleOutput.runId(spark);
    HeatmapFunctions.register(spark);
    blocks = SqlText.blocks(SampleOutput.ROOT.resolve("docs/analysis.md"), "sql");
    for (String statement : SqlText.statements(localPaths(blocks.get(0)))) {
      spark.sql(statement);
    }
    for (Row r : spark.read().parquet(output.resolve("heatmaps").toString()).collectAsList()) {
      ROWS.put(r.getString(r.fieldIndex("method")) + "|" + r.getString(r.fieldIndex("path")), r);
    }
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
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  @Test
  void theDocumentHasTheSetupAndSixQueries() {
    assertThat(blocks).hasSize(7);
    assertThat(spark.table("boxed").count()).isEqualTo(80);
  }

  @Test
  void classesWhoseSaliencySitsOutsideTheBox() {
    List<Row> result = run(1);
    Map<String, List<Row>> byClass =
        ROWS.values().stream()
            .collect(Collectors.groupingBy(r -> key(r, "method") + "|" + key(r, "label")));
    assertThat(result).hasSize(byClass.size()).hasSize(8);
    double previous = -1;
    for (Row r : result) {
      List<Row> members = byClass.get(r.getString(0) + "|" + r.getString(1));
      double mass = members.stream().mapToDouble(m -> handMass(m)).average().orElseThrow();
      double iou = members.stream().mapToDouble(m -> handIou(m)).average().orElseThrow();
      assertThat(r.getLong(2)).isEqualTo(members.size());
      assertThat(r.getDouble(3)).isCloseTo(mass, within(1e-6)).isGreaterThanOrEqualTo(previous);
      assertThat(r.getDouble(4)).isCloseTo(iou, within(1e-6));
      assertThat(r.getBoolean(5)).isEqualTo(mass < 0.5);
      previous = r.getDouble(3);
      System.out.printf(
          "analysis 1: %-8s %-8s %2d mass_inside %.3f iou_top10 %.3f%n",
          r.getString(0), r.getString(1), r.getLong(2), r.getDouble(3), r.getDouble(4));
    }
  }

  @Test
  void rightForTheWrongReason() {
    List<Row> result = run(2);
    Set<String> expected =
        ROWS.values().stream()
            .filter(r -> key(r, "label").equals(key(r, "target_name")) && handIou(r) < 0.1)
            .map(r -> key(r, "method") + "|" + key(r, "path"))
            .collect(Collectors.toSet());
    assertThat(
            result.stream()
                .map(r -> r.getString(0) + "|" + r.getString(1))
                .collect(Collectors.toSet()))
        .isEqualTo(expected);
    for (int i = 1; i < result.size(); i++) {
      assertThat(result.get(i).getFloat(3)).isLessThanOrEqualTo(result.get(i - 1).getFloat(3));
    }
    for (Row r : result) {
      Row row = ROWS.get(r.getString(0) + "|" + r.getString(1));
      assertThat(r.getDouble(5)).isCloseTo(handMass(row), within(1e-6));
      int peak = HandHeatmap.of(row).peak();
      Row p = r.getStruct(6);
      assertThat(p.getDouble(0)).isEqualTo((peak % 56 + 0.5) / 56);
      System.out.printf(
          "analysis 2: %-8s %s score %.3f iou_top10 %.3f mass_inside %.3f peak (%.2f, %.2f) box (%.2f, %.2f)-(%.2f, %.2f)%n",
          r.getString(0),
          fileName(r.getString(1)),
          r.getFloat(3),
          r.getDouble(4),
          r.getDouble(5),
          p.getDouble(0),
          p.getDouble(1),
          r.getDouble(7),
          r.getDouble(8),
          r.getDouble(9),
          r.getDouble(10));
    }
  }

  @Test
  void methodsThatDisagreeMost() {
    Map<String, Double> rho = new HashMap<>();
    for (Row g : ROWS.values()) {
      if (key(g, "method").equals("gradient")) {
        Row c = ROWS.get("gradcam|" + key(g, "path"));
        rho.put(key(g, "path"), HandHeatmap.spearman(HandHeatmap.of(g), HandHeatmap.of(c)));
      }
    }
    List<Double> lowest = rho.values().stream().sorted().limit(5).toList();
    List<Row> worst = run(3);
    assertThat(worst).hasSize(5);
    for (int i = 0; i < 5; i++) {
      assertThat(worst.get(i).getDouble(3)).isCloseTo(lowest.get(i), within(1e-9));
      assertThat(rho.get(worst.get(i).getString(0))).isCloseTo(lowest.get(i), within(1e-9));
    }
    List<Row> perClass = run(4);
    assertThat(perClass).hasSize(4);
    for (Row r : perClass) {
      List<Double> members =
          rho.entrySet().stream()
              .filter(e -> key(ROWS.get("gradient|" + e.getKey()), "label").equals(r.getString(0)))
              .map(Map.Entry::getValue)
              .toList();
      assertThat(r.getLong(1)).isEqualTo(members.size());
      assertThat(r.getDouble(2))
          .isCloseTo(members.stream().mapToDouble(d -> d).average().orElseThrow(), within(1e-9));
      assertThat(r.getDouble(3))
          .isCloseTo(members.stream().mapToDouble(d -> d).min().orElseThrow(), within(1e-9));
      System.out.printf(
          "analysis 3: %-8s %2d mean %.3f min %.3f%n",
          r.getString(0), r.getLong(1), r.getDouble(2), r.getDouble(3));
    }
  }

  @Test
  void classMeanHeatmapsAsPng() throws IOException {
    List<Row> stats = run(5);
    // class_stats has a row per (method, predicted class) of the heatmaps, and they add up to every
    // heatmap.
    assertThat(stats)
        .hasSize(
            (int)
                ROWS.values().stream()
                    .map(m -> key(m, "method") + "|" + key(m, "target_name"))
                    .distinct()
                    .count());
    assertThat(stats.stream().mapToLong(r -> r.getLong(2)).sum()).isEqualTo(ROWS.size());
    for (Row r : stats) {
      String uri = r.getString(3);
      assertThat(uri).startsWith("data:image/png;base64,");
      BufferedImage png =
          ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(uri.substring(22))));
      HandHeatmap mean =
          handMean(
              ROWS.values().stream()
                  .filter(
                      m ->
                          key(m, "method").equals(r.getString(0))
                              && key(m, "target_name").equals(r.getString(1)))
                  .toList());
      assertMeanPng(png, mean);
    }
    List<Row> byLabel = run(6);
    assertThat(byLabel).hasSize(8);
    for (Row r : byLabel) {
      List<Row> members =
          ROWS.values().stream()
              .filter(
                  m ->
                      key(m, "method").equals(r.getString(0))
                          && key(m, "label").equals(r.getString(1)))
              .toList();
      assertThat(r.getLong(2)).isEqualTo(members.size());
      assertMeanPng(ImageIO.read(new ByteArrayInputStream((byte[]) r.get(3))), handMean(members));
    }
  }

  @Test
  void readmeDuckDbQueryReadsTheSameFilesWithoutSpark() throws IOException, SQLException {
    String query =
        SqlText.blocks(SampleOutput.ROOT.resolve("docs/tables.md"), "sql").stream()
            .filter(b -> b.contains("read_parquet("))
            .findFirst()
            .orElseThrow();
    int rows = 0;
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = duck.createStatement();
        ResultSet r = s.executeQuery(localPaths(query))) {
      while (r.next()) {
        Row row = ROWS.get(r.getString("method") + "|" + r.getString("path"));
        HandHeatmap h = HandHeatmap.of(row);
        double mean = java.util.Arrays.stream(h.raw()).average().orElseThrow();
        assertThat(r.getDouble("decoded_mean")).isCloseTo(mean, within(1e-9 * Math.max(1, h.max)));
        assertThat(r.getDouble("decoded_mean"))
            .isCloseTo(r.getDouble("sal_mean"), within(h.halfStep() + 1e-9));
        assertThat(r.getObject("created_at")).isNotNull();
        rows++;
      }
    }
    assertThat(rows).isEqualTo(80);
  }

  @Test
  void everyTableUsesPlainParquetTypes() throws IOException {
    for (String table : List.of("heatmaps", "class_stats", "quarantine")) {
      List<Path> files;
      try (Stream<Path> walk = Files.walk(output.resolve(table))) {
        files = walk.filter(p -> p.toString().endsWith(".parquet")).toList();
      }
      assertThat(files).as(table).isNotEmpty();
      for (Path file : files) {
        try (ParquetFileReader reader =
            ParquetFileReader.open(
                HadoopInputFile.fromPath(
                    new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
          for (PrimitiveType p : leaves(reader.getFooter().getFileMetaData().getSchema())) {
            assertPlain(table, p);
          }
        }
      }
    }
  }

  private static void assertPlain(String table, PrimitiveType p) {
    LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
    String what = table + "." + p.getName() + " " + p;
    assertThat(p.getPrimitiveTypeName()).as(what).isNotEqualTo(PrimitiveTypeName.INT96);
    switch (p.getPrimitiveTypeName()) {
      case INT64 -> {
        if (logical != null) {
          assertThat(logical)
              .as(what)
              .isInstanceOf(LogicalTypeAnnotation.TimestampLogicalTypeAnnotation.class);
          assertThat(((LogicalTypeAnnotation.TimestampLogicalTypeAnnotation) logical).getUnit())
              .as(what)
              .isEqualTo(LogicalTypeAnnotation.TimeUnit.MICROS);
        }
      }
      case BINARY ->
          assertThat(
                  logical == null
                      || logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation)
              .as(what)
              .isTrue();
      case INT32, FLOAT, DOUBLE, BOOLEAN -> assertThat(logical).as(what).isNull();
      default -> throw new AssertionError("unexpected physical type in " + what);
    }
  }

  private static List<PrimitiveType> leaves(Type type) {
    List<PrimitiveType> out = new ArrayList<>();
    if (type.isPrimitive()) {
      out.add(type.asPrimitiveType());
    } else {
      for (Type t : type.asGroupType().getFields()) {
        out.addAll(leaves(t));
      }
    }
    return out;
  }

  /**
   * The mean map's largest cell is viridis(1) in the 224 x 224 PNG (each of the 56 cells is 4 x 4
   * pixels).
   */
  private static void assertMeanPng(BufferedImage png, HandHeatmap mean) {
    assertThat(png.getWidth()).isEqualTo(224);
    assertThat(png.getHeight()).isEqualTo(224);
    int peak = mean.peak();
    assertThat(png.getRGB(peak % 56 * 4 + 1, peak / 56 * 4 + 2) & 0xFFFFFF).isEqualTo(0xFDE725);
  }

  /**
   * Mean of the members' normalised maps (bytes / 255), kept unquantised in a HandHeatmap of range
   * [0, 1].
   */
  private static HandHeatmap handMean(List<Row> members) {
    double[] mean = new double[56 * 56];
    for (Row m : members) {
      byte[] b = (byte[]) m.get(m.fieldIndex("heatmap"));
      for (int i = 0; i < mean.length; i++) {
        mean[i] += (b[i] & 0xFF) / 255.0 / members.size();
      }
    }
    double max = java.util.Arrays.stream(mean).max().orElseThrow();
    byte[] scaled = new byte[mean.length];
    for (int i = 0; i < mean.length; i++) {
      // only the peak matters here: the largest cell scales to 255 exactly
      scaled[i] = (byte) Math.floor(mean[i] / max * 255);
    }
    return new HandHeatmap(56, 56, 0, 1, scaled);
  }

  private static double handMass(Row r) {
    double[] b = box(r);
    return HandHeatmap.of(r).massInBox(b[0], b[1], b[2], b[3]);
  }

  private static double handIou(Row r) {
    double[] b = box(r);
    return HandHeatmap.of(r).iou(0.9, b[0], b[1], b[2], b[3]);
  }

  private static double[] box(Row r) {
    double[] px = BOXES.get(fileName(key(r, "path")));
    double w = r.getInt(r.fieldIndex("width"));
    double h = r.getInt(r.fieldIndex("height"));
    return new double[] {px[0] / w, px[1] / h, px[2] / w, px[3] / h};
  }

  private static List<Row> run(int block) {
    List<String> statements = SqlText.statements(localPaths(blocks.get(block)));
    assertThat(statements).hasSize(1);
    return spark.sql(statements.get(0)).collectAsList();
  }

  /**
   * The documents query the quick start's run: output and run id, with paths relative to the
   * repository.
   */
  private static String localPaths(String sql) {
    return sql.replace("target/sample-output", output.toString())
        .replace("sample-data/", SampleOutput.SAMPLE + "/")
        .replace("run_id = 'sample'", "run_id = '" + runId + "'");
  }

  private static String key(Row r, String column) {
    return r.getString(r.fieldIndex(column));
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
