package org.sparksaliency.job.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.sparksaliency.job.summary.ClassStatsTally;

/**
 * The tables and counts after the explain stage, from the partition tallies of the heatmaps write
 * ({@link TableTap}, one per partition) merged in partition order on the driver: they count the
 * rows written, whatever Spark computed more than once.
 */
final class OnePassTables {
  private final ClassStatsTally classStats;
  private final Map<String, long[]> byMethod = new TreeMap<>();
  private final Map<String, Long> byReason = new TreeMap<>();
  private final List<Row> quarantine = new ArrayList<>();
  private boolean quarantineOverflow;
  private long quarantinedFiles;
  private long imagesExplained;
  private long imagesReused;

  OnePassTables(List<RowsTally> inPartitionOrder, StructType heatmapSchema) {
    this.classStats = new ClassStatsTally(heatmapSchema);
    for (RowsTally t : inPartitionOrder) {
      classStats.merge(t.classStats);
      t.byMethod.forEach(
          (m, c) -> {
            long[] sum = byMethod.computeIfAbsent(m, x -> new long[c.length]);
            for (int i = 0; i < c.length; i++) {
              sum[i] += c[i];
            }
          });
      t.byReason.forEach((r, n) -> byReason.merge(r, n, Long::sum));
      quarantineOverflow |= t.quarantineOverflow;
      quarantine.addAll(t.quarantine);
      quarantinedFiles += t.quarantinedFiles();
      imagesExplained += t.imagesExplained();
      imagesReused += t.imagesReused();
    }
    quarantineOverflow |= quarantine.size() > RowsTally.MAX_QUARANTINE_ROWS;
  }

  /** The class_stats rows. */
  List<Row> classStats() {
    return classStats.rows();
  }

  /**
   * The quarantine rows, or empty when there were too many to bring to the driver (then the caller
   * reads them from the persisted rows).
   */
  Optional<List<Row>> quarantine() {
    return quarantineOverflow ? Optional.empty() : Optional.of(quarantine);
  }

  /** Heatmaps per method, every method of {@code methods} first (0 when it made none). */
  Map<String, Long> heatmapsByMethod(List<String> methods) {
    Map<String, Long> out = new LinkedHashMap<>();
    methods.forEach(m -> out.put(m, 0L));
    byMethod.forEach((m, c) -> out.merge(m, c[0], Long::sum));
    return out;
  }

  /** Pointing accuracy per method with a pointing verdict, in {@code methods}' order. */
  Map<String, Double> pointingByMethod(Iterable<String> methods) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String m : methods) {
      long[] c = byMethod.get(m);
      if (c != null && c[2] > 0) {
        out.put(m, (double) c[1] / c[2]);
      }
    }
    return out;
  }

  Map<String, Long> quarantineByReason() {
    return byReason;
  }

  long quarantinedFiles() {
    return quarantinedFiles;
  }

  /** Images the model explained in the run, each once however often Spark computed it. */
  long imagesExplained() {
    return imagesExplained;
  }

  /** Files whose every heatmap was kept from an earlier run ({@code --incremental}). */
  long imagesReused() {
    return imagesReused;
  }
}
