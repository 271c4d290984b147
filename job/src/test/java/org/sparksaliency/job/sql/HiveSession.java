package org.sparksaliency.job.sql;

import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A {@code local[2]}-style session with Hive support, as spark-sql has: an in-memory Derby
 * metastore (nothing of it outlives the test JVM), warehouse and scratch folders under {@code dir}.
 */
final class HiveSession {
  private HiveSession() {}

  static SparkSession start(
      Class<?> testClass, String master, Path dir, Map<String, String> extra) {
    System.setProperty("derby.system.home", dir.toString());
    SparkSession.Builder b =
        SparkSession.builder()
            .master(master)
            .appName(testClass.getSimpleName())
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.warehouse.dir", dir.resolve("warehouse").toUri().toString())
            .config(
                "spark.hadoop.javax.jdo.option.ConnectionURL",
                "jdbc:derby:memory:metastore;create=true")
            .config("spark.hadoop.hive.exec.scratchdir", dir.resolve("scratch").toString())
            .config(
                "spark.hadoop.hive.exec.local.scratchdir", dir.resolve("local-scratch").toString());
    extra.forEach(b::config);
    return b.enableHiveSupport().getOrCreate();
  }
}
