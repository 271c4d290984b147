package org.sparksaliency.job.cli;

import org.apache.spark.SparkConf;

/**
 * Spark settings for a local master, where the driver, the executor and the run are one short-lived
 * JVM; each applies only where the configuration (spark-defaults, {@code -Dspark.*}, {@code
 * SALIENCY_SPARK_CONF}) does not set it.
 */
final class LocalSession {
  private LocalSession() {}

  static void configure(SparkConf conf) {
    // The web UI starts a Jetty server and registers its pages before the first job (about a
    // second on two cores). Set spark.ui.enabled=true to watch a local run at localhost:4040.
    conf.setIfMissing("spark.ui.enabled", "false");
  }
}
