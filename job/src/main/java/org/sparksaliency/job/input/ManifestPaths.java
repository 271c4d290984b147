package org.sparksaliency.job.input;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparksaliency.job.option.ConfigException;

/**
 * Checks that a manifest names each path once, so that its left join keeps one row per listed file.
 * A manifest file of up to {@link #GATHER_BYTES} is gathered to the driver by one Spark job and
 * checked there: Spark would broadcast one that small into the join anyway, and as local rows it
 * joins without a job of its own. A larger one is checked by a Spark aggregation (a shuffle) and
 * stays distributed.
 */
public final class ManifestPaths {
  /** The largest manifest file gathered to the driver (4 MiB: some 50,000 rows with boxes). */
  static final long GATHER_BYTES = 4L << 20;

  private ManifestPaths() {}

  /**
   * The rows of {@code manifest} (as {@link ManifestReader#read} gives them for the file {@code
   * uri}), once checked.
   *
   * @throws ConfigException naming a path the manifest lists more than once
   */
  public static Dataset<Row> unique(SparkSession spark, String uri, Dataset<Row> manifest) {
    return unique(spark, uri, manifest, GATHER_BYTES);
  }

  static Dataset<Row> unique(
      SparkSession spark, String uri, Dataset<Row> manifest, long gatherBytes) {
    if (bytes(spark, uri) > gatherBytes) {
      List<Row> dup =
          manifest
              .groupBy(col(ImageRows.PATH))
              .count()
              .filter(col("count").gt(1))
              .limit(1)
              .collectAsList();
      if (!dup.isEmpty()) {
        throw duplicate(dup.get(0).getString(0), dup.get(0).getLong(1));
      }
      return manifest;
    }
    List<Row> rows = manifest.collectAsList();
    int pathColumn = manifest.schema().fieldIndex(ImageRows.PATH);
    Map<String, Long> counts = new HashMap<>();
    for (Row r : rows) {
      counts.merge(r.getString(pathColumn), 1L, Long::sum);
    }
    for (Row r : rows) {
      String path = r.getString(pathColumn);
      if (counts.get(path) > 1) {
        throw duplicate(path, counts.get(path));
      }
    }
    return spark.createDataFrame(rows, manifest.schema());
  }

  private static ConfigException duplicate(String path, long times) {
    return ConfigException.of("manifest", "path '%s' appears %d times", path, times);
  }

  /** The manifest file's size; unknown sizes count as large. */
  private static long bytes(SparkSession spark, String uri) {
    Path p = new Path(uri);
    try {
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).getFileStatus(p).getLen();
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }
}
