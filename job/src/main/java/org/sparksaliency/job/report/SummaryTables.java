package org.sparksaliency.job.report;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.sparksaliency.job.report.ReportPage.Table;
import org.sparksaliency.job.summary.ClassStats;

/**
 * The report's tables over the whole run, each a bounded Spark aggregation or sample: figures per
 * method, the sanity check's verdicts, and the quarantine by reason.
 */
final class SummaryTables {
  /**
   * Columns whose names contain one of these are faithfulness AUCs, shown when they have values.
   */
  static final List<String> AUC = List.of("deletion_auc", "insertion_auc");

  private static final int SANITY_ROWS = 500;

  private SummaryTables() {}

  /** Per method, over all its heatmaps of the run, in the run's method order. */
  static Table methods(Optional<Dataset<Row>> heatmaps, List<String> order) {
    List<String> headers =
        new ArrayList<>(
            List.of(
                "method",
                "heatmaps",
                "mean target probability",
                "label agreement",
                "pointing accuracy",
                "mean box mass",
                "mean entropy",
                "mean gini"));
    if (heatmaps.isEmpty()) {
      return new Table(headers, List.of());
    }
    Dataset<Row> h = heatmaps.get();
    List<Column> aggs =
        new ArrayList<>(
            List.of(
                avg(col("target_score")),
                avg(ClassStats.labelAgrees()),
                avg(col("pointing_hit").cast(DataTypes.DoubleType)),
                avg(col("box_mass")),
                avg(col("sal_entropy")),
                avg(col("sal_gini"))));
    for (String c : h.columns()) {
      if (AUC.stream().anyMatch(c::contains) && RunTables.hasValues(h, c)) {
        headers.add("mean " + c.replace('_', ' '));
        aggs.add(avg(col(c)));
      }
    }
    List<Row> rows =
        h.groupBy(col("method")).agg(count(lit(1)), aggs.toArray(new Column[0])).collectAsList();
    List<List<String>> cells = new ArrayList<>();
    rows.stream()
        .sorted(
            Comparator.comparingInt((Row r) -> RunFacts.rank(order, r.getString(0)))
                .thenComparing(r -> r.getString(0)))
        .forEach(
            r -> {
              List<String> line = new ArrayList<>();
              for (int i = 0; i < r.length(); i++) {
                line.add(Html.value(r.get(i)));
              }
              cells.add(line);
            });
    return new Table(headers, cells);
  }

  /** The sanity_verdicts table as it is (its first rows). */
  static Table sanity(Dataset<Row> sanity) {
    List<String> headers = List.of(sanity.columns());
    List<List<String>> cells = new ArrayList<>();
    for (Row r : sanity.limit(SANITY_ROWS).collectAsList()) {
      List<String> line = new ArrayList<>();
      for (int i = 0; i < r.length(); i++) {
        Object v = r.get(i);
        line.add(v instanceof byte[] b ? b.length + " bytes" : Html.value(v));
      }
      cells.add(line);
    }
    return new Table(headers, cells);
  }

  /** Files and rows per reason, with one message as an example. */
  static Table quarantine(Optional<Dataset<Row>> quarantine) {
    List<String> headers = List.of("reason", "files", "rows", "example");
    List<List<String>> cells = new ArrayList<>();
    quarantine.ifPresent(
        q ->
            q.groupBy(col("reason"))
                .agg(
                    countDistinct(col("path")).as("files"),
                    count(lit(1)),
                    first(col("message"), true))
                .orderBy(col("files").desc(), col("reason"))
                .collectAsList()
                .forEach(
                    r ->
                        cells.add(
                            List.of(
                                r.getString(0),
                                Html.value(r.get(1)),
                                Html.value(r.get(2)),
                                Html.value(r.get(3))))));
    return new Table(headers, cells);
  }
}
