package org.sparksaliency.job.output;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.sparksaliency.job.config.OutputConfig;
import org.sparksaliency.job.config.TableFormat;

/**
 * Picks the {@link TableSink} of a run and checks, on the driver before any work, that its format
 * can be written: the library is on the classpath and, for Iceberg, the catalog is configured (a
 * Hadoop catalog under {@code <output>/iceberg} when the session names none: the local case).
 */
public final class TableSinks {
  static final String EXTENSIONS = "spark.sql.extensions";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TableSinks.class);
  private static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
  private static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";
  private static final String ICEBERG_EXTENSION =
      "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions";
  private static final String ICEBERG_CATALOG = "org.apache.iceberg.spark.SparkCatalog";
  private static final String DEPLOY_DOCS = "docs/deploy.md#delta-lake-and-iceberg-tables";

  private TableSinks() {}

  static TableSink of(SparkSession spark, OutputConfig config) {
    String output = OutputWriter.stripSlash(config.output());
    return switch (config.format()) {
      case PARQUET -> new ParquetSink(output);
      case DELTA -> {
        requireClass("delta", "io.delta.tables.DeltaTable", "io.delta:delta-spark");
        yield config.table().isPresent()
            ? new CatalogSink(TableFormat.DELTA, config.table().get())
            : new DeltaPathSink(output);
      }
      case ICEBERG -> {
        requireClass("iceberg", ICEBERG_CATALOG, "org.apache.iceberg:iceberg-spark-runtime");
        String table =
            config
                .table()
                .orElseThrow(() -> new IllegalStateException("Cannot write iceberg: no table"));
        icebergCatalog(spark, table.substring(0, table.indexOf('.')), output);
        yield new CatalogSink(TableFormat.ICEBERG, table);
      }
    };
  }

  /**
   * The static session settings a format needs (SQL extensions, Delta's session catalog), for a
   * session built by the job or a test. A cluster that brings the format sets them itself.
   */
  public static Map<String, String> sessionSettings(TableFormat format) {
    Map<String, String> s = new LinkedHashMap<>();
    switch (format) {
      case DELTA -> {
        s.put(EXTENSIONS, DELTA_EXTENSION);
        s.put("spark.sql.catalog.spark_catalog", DELTA_CATALOG);
      }
      case ICEBERG -> s.put(EXTENSIONS, ICEBERG_EXTENSION);
      case PARQUET -> {}
    }
    return s;
  }

  /**
   * Adds {@link #sessionSettings} to {@code conf} where it has none (extensions are appended to
   * those already listed).
   */
  public static void configure(SparkConf conf, TableFormat format) {
    sessionSettings(format)
        .forEach(
            (k, v) -> {
              if (!conf.contains(k)) {
                conf.set(k, v);
              } else if (k.equals(EXTENSIONS) && !conf.get(k).contains(v)) {
                conf.set(k, conf.get(k) + "," + v);
              }
            });
  }

  /** Configures {@code catalog} as a Hadoop catalog when the session names none of that name. */
  private static void icebergCatalog(SparkSession spark, String catalog, String output) {
    String key = "spark.sql.catalog." + catalog;
    if (spark.conf().contains(key)) {
      return;
    }
    if ("spark_catalog".equals(catalog)) {
      throw new IllegalStateException(
          "Cannot write iceberg tables to spark_catalog: the session catalog is not Iceberg's"
              + " (set spark.sql.catalog.spark_catalog=org.apache.iceberg.spark.SparkSessionCatalog,"
              + " or name another catalog; see "
              + DEPLOY_DOCS
              + ")");
    }
    String warehouse = output + "/iceberg";
    spark.conf().set(key, ICEBERG_CATALOG);
    spark.conf().set(key + ".type", "hadoop");
    spark.conf().set(key + ".warehouse", warehouse);
    LOG.info(
        "Iceberg catalog {} is not configured: using a Hadoop catalog at {}", catalog, warehouse);
  }

  private static void requireClass(String format, String className, String artifact) {
    try {
      // The context loader holds what spark-submit --packages and --jars added.
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      Class.forName(className, false, loader == null ? TableSinks.class.getClassLoader() : loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          String.format(
              "Cannot write %s tables: %s is not on the classpath (%s not found); add it as the"
                  + " cluster's library or --packages, see %s",
              format, artifact, className, DEPLOY_DOCS),
          e);
    }
  }
}
