package org.sparksaliency.job.run;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.sparksaliency.job.output.ResultSchema;
import org.sparksaliency.job.summary.ClassStatsTally;

/**
 * What the tables and counts after the explain stage need from one partition of its rows, gathered
 * as the rows stream into the heatmaps write ({@link TableTap}): the class_stats partial
 * aggregates, heatmaps and pointing hits per method, the quarantine rows (up to {@link
 * #MAX_QUARANTINE_ROWS}; past that only their counts), and the images explained and reused.
 *
 * <p>Images are counted from the explain stage's own rows (with a {@code kind}), in the order it
 * gives them: the reused markers of a file come one after another ({@link ExplainInput}), as do the
 * rows the model gave for one image ({@link ExplainOutput}), and a run's paths are unique. An image
 * is explained when it has heatmap rows or a quarantine row of a method (non_finite, after the
 * model); it is reused when it has a marker for every method of the run.
 */
final class RowsTally implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Quarantine rows one partition carries to the driver; more are counted, not carried. */
  static final int MAX_QUARANTINE_ROWS = 10_000;

  final int partition;
  final ClassStatsTally classStats;
  final Map<String, long[]> byMethod = new TreeMap<>();
  final Map<String, Long> byReason = new TreeMap<>();
  final List<Row> quarantine = new ArrayList<>();
  boolean quarantineOverflow;
  private final Set<String> quarantinedPaths = new HashSet<>();
  private final int kind;
  private final int method;
  private final int pointingHit;
  private final int reason;
  private final int path;
  private final int[] quarantineColumns;

  /** The run's distinct methods: a file with a reused marker for each is not explained again. */
  private final int methods;

  private long imagesExplained;
  private long imagesReused;

  /** The image whose model rows came last. */
  private String explainedPath;

  /** The file whose reused markers are being counted, and how many it has so far. */
  private String markedPath;

  private int markers;

  /**
   * @param schema the rows' schema: the combined result rows, or heatmap rows (no {@code kind};
   *     kept copies, which count no image)
   * @param methods the run's distinct methods
   */
  RowsTally(int partition, StructType schema, int methods) {
    this.partition = partition;
    this.methods = methods;
    this.classStats = new ClassStatsTally(schema);
    List<String> names = List.of(schema.fieldNames());
    this.kind = names.indexOf(ResultSchema.KIND);
    this.method = schema.fieldIndex("method");
    this.pointingHit = schema.fieldIndex("pointing_hit");
    this.path = schema.fieldIndex("path");
    this.reason = names.indexOf("reason");
    this.quarantineColumns =
        kind < 0
            ? new int[0]
            : ResultSchema.QUARANTINE_COLUMNS.stream().mapToInt(schema::fieldIndex).toArray();
  }

  void add(Row r) {
    String k = kind < 0 ? ResultSchema.KIND_HEATMAP : r.getString(kind);
    if (k.equals(ResultSchema.KIND_REUSED)) {
      marker(r.getString(path));
      return;
    }
    endMarkers();
    if (k.equals(ResultSchema.KIND_HEATMAP)) {
      if (kind >= 0) {
        explained(r.getString(path));
      }
      classStats.add(r);
      // [heatmaps, pointing hits, heatmaps with a pointing verdict]
      long[] m = byMethod.computeIfAbsent(r.getString(method), x -> new long[3]);
      m[0]++;
      if (!r.isNullAt(pointingHit)) {
        m[1] += r.getBoolean(pointingHit) ? 1 : 0;
        m[2]++;
      }
    } else if (k.equals(ResultSchema.KIND_QUARANTINE)) {
      if (!r.isNullAt(method)) {
        explained(r.getString(path));
      }
      byReason.merge(r.getString(reason), 1L, Long::sum);
      quarantinedPaths.add(r.getString(path));
      if (quarantine.size() < MAX_QUARANTINE_ROWS) {
        Object[] values = new Object[quarantineColumns.length];
        for (int i = 0; i < values.length; i++) {
          values[i] = r.get(quarantineColumns[i]);
        }
        quarantine.add(RowFactory.create(values));
      } else {
        quarantineOverflow = true;
      }
    }
  }

  /** Ends the partition: counts the last file's markers. */
  void finish() {
    endMarkers();
  }

  private void explained(String imagePath) {
    if (!imagePath.equals(explainedPath)) {
      imagesExplained++;
      explainedPath = imagePath;
    }
  }

  private void marker(String filePath) {
    if (!filePath.equals(markedPath)) {
      endMarkers();
      markedPath = filePath;
    }
    markers++;
  }

  private void endMarkers() {
    if (markedPath != null && markers == methods) {
      imagesReused++;
    }
    markedPath = null;
    markers = 0;
  }

  /** Images of this partition the model explained (all, or the methods not kept). */
  long imagesExplained() {
    return imagesExplained;
  }

  /** Files of this partition with every method's heatmap kept from an earlier run. */
  long imagesReused() {
    return imagesReused;
  }

  /**
   * Files with a quarantine row in this partition. The job spreads rows over partitions by path, so
   * the partitions' counts add up to the run's.
   */
  long quarantinedFiles() {
    return quarantinedPaths.size();
  }
}
