package org.sparksaliency.job.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.output.ResultSchema;
import org.sparksaliency.job.summary.ClassStats;

/**
 * The one-pass tables equal what Spark jobs over the same rows give: class_stats bit for bit
 * (Spark's aggregation over the same partitions), the quarantine rows and the counts, each
 * partition once however often its rows pass the tap.
 */
class OnePassTablesTest {
  private static final List<String> METHODS = List.of("gradient", "gradcam");
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.session(OnePassTablesTest.class);
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  @Test
  void classStatsFromTheTapEqualSparksAggregationBitForBit() {
    Dataset<Row> rows = resultRows(400, new Random(3)).cache();
    Dataset<Row> heatmaps = SaliencyResult.heatmapsOf(rows);
    List<Row> expected = sorted(ClassStats.compute(heatmaps).collectAsList());

    TableTap tap = TableTap.register(spark.sparkContext(), METHODS);
    long written = SaliencyResult.heatmapsOf(tap.over(rows)).count();
    OnePassTables tables = new OnePassTables(tap.tallies(), heatmaps.schema());
    List<Row> actual = sorted(tables.classStats());

    assertThat(tap.tallies()).hasSize(5);
    assertThat(actual).hasSameSizeAs(expected).hasSizeGreaterThan(6);
    for (int i = 0; i < expected.size(); i++) {
      // Row.equals compares doubles exactly and byte arrays by content.
      assertThat(actual.get(i)).as("group %s", expected.get(i).get(1)).isEqualTo(expected.get(i));
    }
    assertThat(tables.heatmapsByMethod(List.of("gradient", "gradcam", "rise")))
        .containsExactly(
            Map.entry("gradient", count(heatmaps, "gradient")),
            Map.entry("gradcam", count(heatmaps, "gradcam")),
            Map.entry("rise", 0L));
    assertThat(written).isEqualTo(heatmaps.count());
  }

  @Test
  void quarantineRowsAndCountsComeFromTheSamePass() {
    Dataset<Row> rows = resultRows(120, new Random(5)).cache();
    TableTap tap = TableTap.register(spark.sparkContext(), METHODS);
    SaliencyResult.heatmapsOf(tap.over(rows)).count();
    OnePassTables tables =
        new OnePassTables(tap.tallies(), SaliencyResult.heatmapsOf(rows).schema());

    Dataset<Row> q = rows.filter(col(ResultSchema.KIND).equalTo(ResultSchema.KIND_QUARANTINE));
    List<Row> expected =
        q.select(ResultSchema.columns(ResultSchema.QUARANTINE_COLUMNS)).collectAsList();
    assertThat(tables.quarantine()).isPresent();
    assertThat(tables.quarantine().get()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(tables.quarantinedFiles()).isEqualTo(q.select("path").distinct().count());
    assertThat(tables.quarantineByReason())
        .containsEntry("decode_error", q.filter(col("reason").equalTo("decode_error")).count());
  }

  @Test
  void imagesExplainedAndReusedComeFromTheRows() {
    Dataset<Row> rows = resultRows(400, new Random(7)).cache();
    TableTap tap = TableTap.register(spark.sparkContext(), METHODS);
    SaliencyResult.heatmapsOf(tap.over(rows)).count();
    OnePassTables tables =
        new OnePassTables(tap.tallies(), SaliencyResult.heatmapsOf(rows).schema());

    Dataset<Row> byPath =
        rows.groupBy("path")
            .agg(
                expr("count_if(kind = 'reused')").as("markers"),
                expr("count_if(kind = 'heatmap' OR (kind = 'quarantine' AND method IS NOT NULL))")
                    .as("model_rows"));
    long reused = byPath.filter("markers = 2").count();
    long explained = byPath.filter("model_rows > 0").count();
    assertThat(reused).as("fixture: images reused").isGreaterThan(5);
    assertThat(byPath.filter("markers = 1 AND model_rows > 0").count())
        .as("fixture: images with one method kept")
        .isGreaterThan(5);
    assertThat(tables.imagesReused()).isEqualTo(reused);
    assertThat(tables.imagesExplained()).isEqualTo(explained);
  }

  /**
   * Spark merges the accumulator updates of every successful attempt of a shuffle map task (a
   * speculative copy, a map stage run again): the tally of a partition seen twice counts once.
   */
  @Test
  void aPartitionTalliedTwiceCountsOnce() {
    Dataset<Row> rows = resultRows(120, new Random(11));
    TableTap once = TableTap.register(spark.sparkContext(), METHODS);
    SaliencyResult.heatmapsOf(once.over(rows)).count();
    TableTap twice = TableTap.register(spark.sparkContext(), METHODS);
    Dataset<Row> tapped = SaliencyResult.heatmapsOf(twice.over(rows));
    tapped.count();
    tapped.count();
    StructType schema = SaliencyResult.heatmapsOf(rows).schema();
    OnePassTables expected = new OnePassTables(once.tallies(), schema);
    OnePassTables actual = new OnePassTables(twice.tallies(), schema);

    assertThat(twice.tallies()).hasSize(5);
    assertThat(actual.imagesExplained()).isEqualTo(expected.imagesExplained()).isPositive();
    assertThat(actual.imagesReused()).isEqualTo(expected.imagesReused()).isPositive();
    assertThat(actual.quarantinedFiles()).isEqualTo(expected.quarantinedFiles()).isPositive();
    assertThat(actual.quarantineByReason()).isEqualTo(expected.quarantineByReason());
    assertThat(actual.heatmapsByMethod(METHODS)).isEqualTo(expected.heatmapsByMethod(METHODS));
    assertThat(actual.quarantine().orElseThrow())
        .containsExactlyInAnyOrderElementsOf(expected.quarantine().orElseThrow());
    assertThat(actual.classStats()).isEqualTo(expected.classStats());
  }

  private static long count(Dataset<Row> heatmaps, String method) {
    return heatmaps.filter(col("method").equalTo(method)).count();
  }

  private static List<Row> sorted(List<Row> rows) {
    List<Row> out = new ArrayList<>(rows);
    out.sort(
        Comparator.<Row, String>comparing(r -> r.getString(0)).thenComparing(r -> r.getInt(1)));
    return out;
  }

  /**
   * Combined result rows over 5 partitions (spread by path, as the job does): heatmaps of two
   * methods and 4 classes with values of many magnitudes (so that a different summation order would
   * show), nulls, labels, quarantine rows (before the model, and non_finite ones of a method after
   * it), and reused markers (for both methods, or for gradient only).
   */
  private static Dataset<Row> resultRows(int images, Random r) {
    List<Row> rows = new ArrayList<>();
    Timestamp at = new Timestamp(1_700_000_000_000L);
    for (int i = 0; i < images; i++) {
      String path = "file:/images/img" + i + ".jpg";
      if (i % 17 == 0) {
        rows.add(row("quarantine", path, null, null, null, null, "decode_error", at));
        continue;
      }
      for (String method : METHODS) {
        if (i % 19 == 0 && method.equals("gradcam")) {
          rows.add(row("quarantine", path, "id" + i, 10L, method, "NaN", "non_finite", at));
          continue;
        }
        boolean kept = i % 23 == 0 || (i % 13 == 0 && method.equals("gradient"));
        Object[] v = new Object[ResultSchema.width()];
        v[ResultSchema.index(ResultSchema.KIND)] = kept ? "reused" : "heatmap";
        v[ResultSchema.index("path")] = path;
        v[ResultSchema.index("image_id")] = "id" + i;
        v[ResultSchema.index("model_id")] = "m";
        v[ResultSchema.index("method")] = method;
        int cls = r.nextInt(4);
        v[ResultSchema.index("target_class")] = cls;
        v[ResultSchema.index("target_name")] = cls == 3 ? null : "class" + cls;
        v[ResultSchema.index("label")] = i % 3 == 0 ? null : "class" + r.nextInt(4);
        v[ResultSchema.index("target_score")] = r.nextFloat() * 20 - 5;
        v[ResultSchema.index("sal_entropy")] = Math.pow(10, r.nextInt(9) - 4) * r.nextDouble();
        v[ResultSchema.index("sal_gini")] = r.nextDouble();
        v[ResultSchema.index("pointing_hit")] = i % 4 == 0 ? null : r.nextBoolean();
        v[ResultSchema.index("box_mass")] = i % 4 == 0 ? null : r.nextDouble() * 1e3;
        v[ResultSchema.index("deletion_auc")] = i % 5 == 0 ? null : r.nextDouble();
        v[ResultSchema.index("heatmap_height")] = 4;
        v[ResultSchema.index("heatmap_width")] = 4;
        byte[] map = new byte[16];
        r.nextBytes(map);
        v[ResultSchema.index("heatmap")] = map;
        v[ResultSchema.index("run_id")] = "run";
        v[ResultSchema.index("created_at")] = at;
        rows.add(RowFactory.create(v));
      }
    }
    return spark
        .createDataFrame(rows, ResultSchema.RESULT)
        .repartition(5, col("path"))
        .sortWithinPartitions(col("path"));
  }

  private static Row row(
      String kind,
      String path,
      String imageId,
      Long size,
      String method,
      String message,
      String reason,
      Timestamp at) {
    Object[] v = new Object[ResultSchema.width()];
    v[ResultSchema.index(ResultSchema.KIND)] = kind;
    v[ResultSchema.index("path")] = path;
    v[ResultSchema.index("image_id")] = imageId;
    v[ResultSchema.index("size_bytes")] = size;
    v[ResultSchema.index("method")] = method;
    v[ResultSchema.index("message")] = message == null ? "cannot decode" : message;
    v[ResultSchema.index("reason")] = reason;
    v[ResultSchema.index("model_id")] = "m";
    v[ResultSchema.index("run_id")] = "run";
    v[ResultSchema.index("created_at")] = at;
    return RowFactory.create(v);
  }
}
