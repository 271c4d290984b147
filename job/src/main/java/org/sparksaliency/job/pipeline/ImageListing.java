package org.sparksaliency.job.pipeline;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Lists the input images with Spark's binaryFile source, without their content: the explain stage reads
 * each file itself, so a file too large to hold is quarantined, not loaded.
 */
public final class ImageListing {
  private ImageListing() {}

  /** Rows of (path, length), path fully qualified as binaryFile gives it. */
  public static Dataset<Row> read(SparkSession spark, String input, String glob) {
    return spark
        .read()
        .format("binaryFile")
        .option("recursiveFileLookup", "true")
        .option("pathGlobFilter", glob)
        .load(input)
        .select(functions.col("path"), functions.col("length"));
  }
}
