package org.sparksaliency.job.summary;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The class_stats table built from heatmap rows as they stream past (one partition's tally), and
 * from such tallies merged in partition order on the driver: no second pass over the heatmaps. The
 * values equal {@link ClassStats#compute} over the same partitions, which merges its partial
 * aggregates in the same order.
 */
public final class ClassStatsTally implements Serializable {
  private static final long serialVersionUID = 1L;

  private final HeatmapColumns columns;
  private final Map<List<Object>, ClassStatsGroup> groups = new LinkedHashMap<>();

  /** An empty tally of rows with {@code schema} (heatmap columns, or the combined result rows). */
  public ClassStatsTally(StructType schema) {
    this.columns = new HeatmapColumns(schema, ClassStats.GROUP_BY);
  }

  /** Adds one heatmap row. */
  public void add(Row heatmapRow) {
    Object[] key = new Object[columns.groupBy.length];
    for (int i = 0; i < key.length; i++) {
      key[i] = heatmapRow.get(columns.groupBy[i]);
    }
    groups.computeIfAbsent(Arrays.asList(key), k -> new ClassStatsGroup()).add(heatmapRow, columns);
  }

  /** Adds the tally of a later partition (call in partition order). */
  public void merge(ClassStatsTally later) {
    for (Map.Entry<List<Object>, ClassStatsGroup> e : later.groups.entrySet()) {
      groups.computeIfAbsent(e.getKey(), k -> new ClassStatsGroup()).merge(e.getValue());
    }
  }

  /** The class_stats rows ({@link ClassStats#schema}), one per group, in the order first seen. */
  public List<Row> rows() {
    List<Row> rows = new ArrayList<>(groups.size());
    groups.forEach((key, group) -> rows.add(group.toRow(key)));
    return rows;
  }
}
