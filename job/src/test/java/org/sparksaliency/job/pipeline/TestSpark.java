package org.sparksaliency.job.pipeline;

import org.apache.spark.sql.SparkSession;

/** One local[2] SparkSession per test class: UI off, loopback host, few shuffle partitions. */
public final class TestSpark {
  private TestSpark() {}

  public static SparkSession session(Class<?> testClass) {
    return SparkSession.builder()
        .master("local[2]")
        .appName(testClass.getSimpleName())
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
  }

  /** Stops the session and forgets it, so later test classes see no Spark running. */
  public static void stop(SparkSession spark) {
    spark.stop();
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }
}
