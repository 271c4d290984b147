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
  private final LongAccumulator filesDone;
  private final LongAccumulator filesQuarantined;

  private JobCounters(
      LongAccumulator imagesExplained, LongAccumulator imagesReused, LongAccumulator filesDone,
      LongAccumulator filesQuarantined) {
    this.imagesExplained = imagesExplained;
    this.imagesReused = imagesReused;
    this.filesDone = filesDone;
    this.filesQuarantined = filesQuarantined;
  }

  /** New counters registered with {@code sc}. */
  public static JobCounters register(SparkContext sc) {
    return new JobCounters(
        sc.longAccumulator("saliency.images_explained"), sc.longAccumulator("saliency.images_reused"),
        sc.longAccumulator("saliency.files_done"), sc.longAccumulator("saliency.files_quarantined"));
  }

  /** Images handed to the model (each gives a prediction and every method's map that was still missing). */
  public long imagesExplained() {
    return imagesExplained.value();
  }

  /** Images skipped because every method's heatmap was kept from an earlier run ({@code --incremental}). */
  public long imagesReused() {
    return imagesReused.value();
  }

  /**
   * Input files the explain stage has finished with: explained, reused, or quarantined before the model. The
   * driver sees a task's count when the task ends.
   */
  public long filesDone() {
    return filesDone.value();
  }

  /** Input files with at least one quarantine row so far. */
  public long filesQuarantined() {
    return filesQuarantined.value();
  }

  long filesDoneId() {
    return filesDone.id();
  }

  long filesQuarantinedId() {
    return filesQuarantined.id();
  }

  void addDone(long n) {
    filesDone.add(n);
  }

  void addQuarantined(long n) {
    filesQuarantined.add(n);
  }

  void addExplained(long n) {
    imagesExplained.add(n);
  }

  void addReused(long n) {
    imagesReused.add(n);
  }
}
