package org.sparksaliency.job.run;

import java.io.Serializable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.sparksaliency.job.model.EngineVerdict;

/**
 * Counters the explain stage adds to as it works, as Spark accumulators. Spark merges the updates
 * of successful task attempts only; a partition computed twice (a lost or dropped cache block, a
 * re-run stage) counts twice, so these measure work done, for progress lines and API users, while
 * the tables are what count results: the job's summary counts images from the rows it wrote ({@link
 * OnePassTables}).
 */
public final class JobCounters implements Serializable {
  private static final long serialVersionUID = 1L;

  private final LongAccumulator imagesExplained;
  private final LongAccumulator imagesReused;
  private final LongAccumulator filesDone;
  private final LongAccumulator filesQuarantined;
  private final CollectionAccumulator<ExecutorVerdict> engineVerdicts;

  /**
   * An engine verdict and the executor that reached it; equal for every task of that executor and
   * check.
   */
  private record ExecutorVerdict(String executor, EngineVerdict verdict) implements Serializable {}

  private JobCounters(
      LongAccumulator imagesExplained,
      LongAccumulator imagesReused,
      LongAccumulator filesDone,
      LongAccumulator filesQuarantined,
      CollectionAccumulator<ExecutorVerdict> engineVerdicts) {
    this.imagesExplained = imagesExplained;
    this.imagesReused = imagesReused;
    this.filesDone = filesDone;
    this.filesQuarantined = filesQuarantined;
    this.engineVerdicts = engineVerdicts;
  }

  /** New counters registered with {@code sc}. */
  public static JobCounters register(SparkContext sc) {
    return new JobCounters(
        sc.longAccumulator("saliency.images_explained"),
        sc.longAccumulator("saliency.images_reused"),
        sc.longAccumulator("saliency.files_done"),
        sc.longAccumulator("saliency.files_quarantined"),
        sc.collectionAccumulator("saliency.engine_verdicts"));
  }

  /**
   * Images handed to the model (each gives a prediction and every method's map that was still
   * missing).
   */
  public long imagesExplained() {
    return imagesExplained.value();
  }

  /**
   * Images skipped because every method's heatmap was kept from an earlier run ({@code
   * --incremental}).
   */
  public long imagesReused() {
    return imagesReused.value();
  }

  /**
   * Input files the explain stage has finished with: explained, reused, or quarantined before the
   * model. The driver sees a task's count when the task ends.
   */
  public long filesDone() {
    return filesDone.value();
  }

  /** Input files with at least one quarantine row so far. */
  public long filesQuarantined() {
    return filesQuarantined.value();
  }

  /**
   * The engine self-check verdicts of the executors that explained images, one per executor and
   * check (see {@link EngineVerdict#toMap}), in no particular order.
   */
  public List<Map<String, Object>> engineVerdicts() {
    return new LinkedHashSet<>(engineVerdicts.value())
        .stream().map(v -> v.verdict().toMap(v.executor())).toList();
  }

  void addEngineVerdict(EngineVerdict v) {
    SparkEnv env = SparkEnv.get();
    engineVerdicts.add(new ExecutorVerdict(env == null ? "driver" : env.executorId(), v));
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
