package org.sparksaliency.job.pipeline;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Counters the explain stage adds to as it works, as Spark accumulators. Spark merges the updates of
 * successful task attempts only; a partition computed twice (a lost cache block, a re-run stage) counts
 * twice, so these measure work done, while the tables are what count results.
 */
public final class JobCounters implements Serializable {
  private static final long serialVersionUID = 1L;

  private final LongAccumulator imagesExplained;
  private final LongAccumulator imagesReused;

  private JobCounters(LongAccumulator imagesExplained, LongAccumulator imagesReused) {
    this.imagesExplained = imagesExplained;
    this.imagesReused = imagesReused;
  }

  /** New counters registered with {@code sc}. */
  public static JobCounters register(SparkContext sc) {
    return new JobCounters(
        sc.longAccumulator("saliency.images_explained"), sc.longAccumulator("saliency.images_reused"));
  }

  /** Images handed to the model (each gives a prediction and every method's map that was still missing). */
  public long imagesExplained() {
    return imagesExplained.value();
  }

  /** Images skipped because every method's heatmap was kept from an earlier run ({@code --incremental}). */
  public long imagesReused() {
    return imagesReused.value();
  }

  void addExplained(long n) {
    imagesExplained.add(n);
  }

  void addReused(long n) {
    imagesReused.add(n);
  }
}
