package org.sparksaliency.job.run;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** One local SparkSession per test class: UI off, loopback host, few shuffle partitions. */
public final class TestSpark {
  private TestSpark() {}

  public static SparkSession session(Class<?> testClass) {
    return session(testClass, "local[2]", Map.of());
  }

  /**
   * A session on {@code master} (for example {@code local[2,4]}: two threads, four attempts per
   * task) with {@code extra} Spark settings.
   */
  public static SparkSession session(Class<?> testClass, String master, Map<String, String> extra) {
    SparkSession.Builder b =
        SparkSession.builder()
            .master(master)
            .appName(testClass.getSimpleName())
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4");
    extra.forEach(b::config);
    return b.getOrCreate();
  }

  /** Stops the session and forgets it, so later test classes see no Spark running. */
  public static void stop(SparkSession spark) {
    spark.stop();
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }
}
