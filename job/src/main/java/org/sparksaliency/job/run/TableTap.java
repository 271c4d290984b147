package org.sparksaliency.job.run;

import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;

/**
 * Passes rows through unchanged on their way into the heatmaps write and tallies them ({@link
 * RowsTally}), one tally per partition, so that quarantine, class_stats and the run's counts come
 * from that one pass: not from Spark jobs that read the rows again, nor from the explain stage's
 * accumulators, which count again whenever Spark computes the rows again (a cached block lost, or
 * dropped: a Delta or Iceberg write drops the cache of every plan that reads the table it writes,
 * and the rows of {@code --incremental} read the heatmaps table).
 *
 * <p>Every partition counts once. A failed attempt's tally is never merged. A result stage merges
 * the updates of a partition's first successful attempt only, but a shuffle map stage merges every
 * successful attempt's (a speculative copy, a map stage run again after a lost executor), and the
 * tap sits in one where the write wants its rows clustered (Iceberg: an exchange after the tap). So
 * the driver keeps one tally per partition; every attempt of a partition tallies the same rows.
 */
final class TableTap {
  private final CollectionAccumulator<RowsTally> tallies;
  private final int methods;

  private TableTap(CollectionAccumulator<RowsTally> tallies, int methods) {
    this.tallies = tallies;
    this.methods = methods;
  }

  /**
   * @param methods the run's methods: a file with a reused marker for each counts as reused
   */
  static TableTap register(SparkContext sc, Collection<String> methods) {
    return new TableTap(
        sc.collectionAccumulator("saliency.table_tallies"), new HashSet<>(methods).size());
  }

  /** {@code rows} with the tap on: combined result rows, or heatmap rows. */
  Dataset<Row> over(Dataset<Row> rows) {
    return rows.mapPartitions(
        new Pass(tallies, rows.schema(), methods), Encoders.row(rows.schema()));
  }

  /**
   * The tallies of the taps' partitions, one per partition, in partition order (the order Spark
   * merges in).
   */
  List<RowsTally> tallies() {
    Map<Integer, RowsTally> byPartition = new TreeMap<>();
    for (RowsTally t : tallies.value()) {
      byPartition.putIfAbsent(t.partition, t);
    }
    return List.copyOf(byPartition.values());
  }

  private static final class Pass implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final CollectionAccumulator<RowsTally> tallies;
    private final StructType schema;
    private final int methods;

    Pass(CollectionAccumulator<RowsTally> tallies, StructType schema, int methods) {
      this.tallies = tallies;
      this.schema = schema;
      this.methods = methods;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
      RowsTally tally = new RowsTally(TaskContext.getPartitionId(), schema, methods);
      return new Iterator<>() {
        private boolean added;

        @Override
        public boolean hasNext() {
          boolean more = input.hasNext();
          if (!more && !added) {
            added = true;
            tally.finish();
            tallies.add(tally);
          }
          return more;
        }

        @Override
        public Row next() {
          Row r = input.next();
          tally.add(r);
          return r;
        }
      };
    }
  }
}
