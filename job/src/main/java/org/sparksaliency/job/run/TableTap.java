package org.sparksaliency.job.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
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
 * RowsTally}), one tally per partition, so that quarantine, class_stats and the counts come from
 * that one pass instead of Spark jobs that read the rows again. Put it only in the write's result
 * stage: Spark applies a result stage's accumulator updates once per partition, from its first
 * successful task attempt, so every row counts exactly once.
 */
final class TableTap {
  private final CollectionAccumulator<RowsTally> tallies;

  private TableTap(CollectionAccumulator<RowsTally> tallies) {
    this.tallies = tallies;
  }

  static TableTap register(SparkContext sc) {
    return new TableTap(sc.collectionAccumulator("saliency.table_tallies"));
  }

  /** {@code rows} with the tap on: combined result rows, or heatmap rows. */
  Dataset<Row> over(Dataset<Row> rows) {
    return rows.mapPartitions(new Pass(tallies, rows.schema()), Encoders.row(rows.schema()));
  }

  /** The tallies of the taps' partitions, in partition order (the order Spark merges in). */
  List<RowsTally> tallies() {
    List<RowsTally> all = new ArrayList<>(tallies.value());
    all.sort(Comparator.comparingInt(t -> t.partition));
    return all;
  }

  private static final class Pass implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final CollectionAccumulator<RowsTally> tallies;
    private final StructType schema;

    Pass(CollectionAccumulator<RowsTally> tallies, StructType schema) {
      this.tallies = tallies;
      this.schema = schema;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
      RowsTally tally = new RowsTally(TaskContext.getPartitionId(), schema);
      return new Iterator<>() {
        private boolean added;

        @Override
        public boolean hasNext() {
          boolean more = input.hasNext();
          if (!more && !added) {
            added = true;
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
