package org.sparksaliency.job.report;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.stddev_samp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.sparksaliency.job.report.ReportPage.Figure;

/**
 * The report's plots, each from one bounded Spark aggregation of the run's tables: per method the
 * deletion and insertion curves (mean ± standard deviation over the heatmaps, {@code --evaluate}),
 * histograms of target_score and sal_entropy, and the sanity check's similarity per number of
 * randomised layers (mean |Spearman| ± standard deviation over the images, {@code --sanity-check}).
 * A plot whose data the run did not write is left out.
 */
final class Plots {
  private static final int BINS = 20;

  private Plots() {}

  static List<Figure> of(RunTables tables, List<String> order) {
    List<Figure> out = new ArrayList<>();
    Optional<Dataset<Row>> heatmaps = tables.heatmaps();
    if (heatmaps.isPresent()) {
      Dataset<Row> h = heatmaps.get();
      curve(h, "deletion_curve", "Deletion curve", order).ifPresent(out::add);
      curve(h, "insertion_curve", "Insertion curve", order).ifPresent(out::add);
      histogram(h, "target_score", 0.0, 1.0, order).ifPresent(out::add);
      histogram(h, "sal_entropy", null, null, order).ifPresent(out::add);
    }
    tables.sanityRows().flatMap(s -> sanity(s, order)).ifPresent(out::add);
    return out;
  }

  /** Mean ± sd of the target probability at each fraction of pixels removed or revealed. */
  private static Optional<Figure> curve(
      Dataset<Row> h, String column, String title, List<String> order) {
    if (!RunTables.hasValues(h, column)) {
      return Optional.empty();
    }
    List<Row> rows =
        h.filter(col(column).isNotNull())
            .select(col("method"), posexplode(col(column)))
            .groupBy(col("method"), col("pos"))
            .agg(avg(col("col")), stddev_samp(col("col")))
            .collectAsList();
    int steps = rows.stream().mapToInt(r -> r.getInt(1)).max().orElse(1);
    List<SvgChart.Series> series =
        series(rows, order, pos -> steps == 0 ? 0 : (double) pos / steps);
    return Optional.of(
        new Figure(
            column,
            title + " per method: the target's probability (mean ± sd over the heatmaps)",
            SvgChart.lines(title, "fraction of pixels in saliency order", "probability", series)));
  }

  /** Heatmaps per bin of {@code column}, over [lo, hi] (the column's range where null). */
  private static Optional<Figure> histogram(
      Dataset<Row> h, String column, Double lo, Double hi, List<String> order) {
    if (!RunTables.hasValues(h, column)) {
      return Optional.empty();
    }
    Dataset<Row> values = h.filter(col(column).isNotNull());
    double a;
    double b;
    if (lo == null || hi == null) {
      Row range = values.agg(min(col(column)), max(col(column))).first();
      a = ((Number) range.get(0)).doubleValue();
      b = ((Number) range.get(1)).doubleValue();
    } else {
      a = lo;
      b = hi;
    }
    double width = b > a ? (b - a) / BINS : 1;
    Column bin =
        least(floor(col(column).minus(a).divide(width)), lit(BINS - 1)).cast("int").as("bin");
    Map<String, long[]> counts =
        new TreeMap<>(
            Comparator.comparingInt((String m) -> RunFacts.rank(order, m)).thenComparing(m -> m));
    for (Row r : values.groupBy(col("method"), bin).agg(count(lit(1))).collectAsList()) {
      counts.computeIfAbsent(r.getString(0), m -> new long[BINS])[Math.max(0, r.getInt(1))] +=
          r.getLong(2);
    }
    List<SvgChart.Bins> bins = new ArrayList<>();
    counts.forEach((m, c) -> bins.add(new SvgChart.Bins(m, c)));
    return Optional.of(
        new Figure(
            column,
            "Distribution of " + column + " per method (" + BINS + " bins)",
            SvgChart.histograms(column, column, a, b > a ? b : a + 1, bins)));
  }

  /** Mean |Spearman| ± sd between the trained model's map and each randomised model's map. */
  private static Optional<Figure> sanity(Dataset<Row> sanity, List<String> order) {
    List<Row> rows =
        sanity
            .withColumn("similarity", coalesce(abs(col("spearman")), lit(0.0)))
            .groupBy(col("method"), col("layers_randomised"))
            .agg(avg(col("similarity")), stddev_samp(col("similarity")))
            .collectAsList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Figure(
            "sanity",
            "Sanity check: similarity of each method's map to the trained model's as layers are"
                + " randomised from the top (mean |Spearman| ± sd over the images; low means the"
                + " map depends on the weights)",
            SvgChart.lines(
                "Sanity check",
                "layers randomised",
                "mean |Spearman|",
                series(rows, order, pos -> pos))));
  }

  /** Rows (method, x index, mean, sd) as one series per method, in the run's method order. */
  private static List<SvgChart.Series> series(
      List<Row> rows, List<String> order, java.util.function.IntToDoubleFunction x) {
    Map<String, TreeMap<Integer, double[]>> byMethod =
        new TreeMap<>(
            Comparator.comparingInt((String m) -> RunFacts.rank(order, m)).thenComparing(m -> m));
    for (Row r : rows) {
      double sd = r.isNullAt(3) ? 0 : r.getDouble(3);
      byMethod
          .computeIfAbsent(r.getString(0), m -> new TreeMap<>())
          .put(((Number) r.get(1)).intValue(), new double[] {r.getDouble(2), sd});
    }
    List<SvgChart.Series> out = new ArrayList<>();
    byMethod.forEach(
        (m, points) -> {
          double[] xs = points.keySet().stream().mapToDouble(x::applyAsDouble).toArray();
          double[] ys = points.values().stream().mapToDouble(p -> p[0]).toArray();
          double[] sds = points.values().stream().mapToDouble(p -> p[1]).toArray();
          out.add(new SvgChart.Series(m, xs, ys, sds));
        });
    return out;
  }
}
