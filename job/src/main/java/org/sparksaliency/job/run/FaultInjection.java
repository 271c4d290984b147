package org.sparksaliency.job.run;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * Test-only task failures, off unless {@value #SHARE} is set: as a SQL conf of the session ({@code
 * spark.conf().set}, which Spark hands to the tasks of each query) or in the Spark configuration.
 * The first attempt of a chosen share of the explain tasks throws after it has handed some rows
 * downstream, so tests can show that Spark's task retry and output commit protocol keep exactly one
 * row per (image, method). Later attempts never fail. Partitions are chosen evenly and
 * deterministically: partition {@code p} fails when {@code floor((p + 1) * share) > floor(p *
 * share)}.
 */
final class FaultInjection {
  /** Share of explain tasks (0..1) whose first attempt fails. */
  static final String SHARE = "spark.saliency.test.failFirstAttemptShare";

  /** Rows a failing attempt emits before it throws (fewer if the partition has fewer). */
  static final String AFTER_ROWS = "spark.saliency.test.failAfterRows";

  private static final FaultInjection OFF = new FaultInjection(false, 0, -1, -1);

  private final boolean armed;
  private final long afterRows;
  private final int partition;
  private final int attempt;

  private FaultInjection(boolean armed, long afterRows, int partition, int attempt) {
    this.armed = armed;
    this.afterRows = afterRows;
    this.partition = partition;
    this.attempt = attempt;
  }

  /** No fault: for the stages that are not tested for task retries. */
  static FaultInjection off() {
    return OFF;
  }

  /** The fault plan of the running task; off outside a task or when the setting is absent. */
  static FaultInjection forCurrentTask() {
    SparkEnv env = SparkEnv.get();
    TaskContext task = TaskContext.get();
    if (env == null || task == null) {
      return OFF;
    }
    double share = Double.parseDouble(setting(env.conf(), task, SHARE, "0"));
    if (share <= 0 || task.attemptNumber() > 0) {
      return OFF;
    }
    int p = task.partitionId();
    boolean chosen = Math.floor((p + 1) * share) > Math.floor(p * share);
    long after = Math.max(1, Long.parseLong(setting(env.conf(), task, AFTER_ROWS, "3")));
    return chosen ? new FaultInjection(true, after, p, task.attemptNumber()) : OFF;
  }

  /**
   * A test setting as the task sees it: a local property (a session's SQL conf) before the Spark
   * configuration.
   */
  static String setting(SparkConf conf, TaskContext task, String key, String fallback) {
    String local = task.getLocalProperty(key);
    return local != null ? local : conf.get(key, fallback);
  }

  /**
   * Throws once this attempt has emitted {@code afterRows} rows, or has emitted at least one and
   * has no more.
   *
   * @param emitted rows handed downstream so far
   * @param more whether the partition has more rows to give
   */
  void check(long emitted, boolean more) {
    if (armed && emitted > 0 && (emitted >= afterRows || !more)) {
      throw new IllegalStateException(
          String.format(
              "Injected fault (%s): attempt %d of partition %d fails after emitting %d rows",
              SHARE, attempt, partition, emitted));
    }
  }
}
