package org.sparksaliency.job.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.datasources.FileIndex;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.PartitioningAwareFileIndex;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.functions;
import scala.collection.JavaConverters;

/**
 * Lists the input images with Spark's binaryFile source, without their content: the explain stage reads
 * each file itself, so a file too large to hold is quarantined, not loaded.
 *
 * <p>Spark's file scans skip zero-byte files, so a scan alone would lose them without a trace. Their
 * listing (the file index, already on the driver) still holds them: they are added back here, so that an
 * empty upload is quarantined as {@code empty_file} like any other broken file.
 */
public final class ImageListing {
  private ImageListing() {}

  /** Rows of (path, length), path fully qualified as binaryFile gives it. */
  public static Dataset<Row> read(SparkSession spark, String input, String glob) {
    Dataset<Row> files =
        spark
            .read()
            .format("binaryFile")
            .option("recursiveFileLookup", "true")
            .option("pathGlobFilter", glob)
            .load(input);
    Dataset<Row> listed = files.select(functions.col("path"), functions.col("length"));
    List<Row> empty = emptyFiles(files);
    return empty.isEmpty() ? listed : listed.union(spark.createDataFrame(empty, listed.schema()));
  }

  /** The zero-byte files of the listing behind {@code files} (same glob, same hidden-file rules). */
  private static List<Row> emptyFiles(Dataset<Row> files) {
    LogicalPlan plan = files.queryExecution().analyzed();
    if (!(plan instanceof LogicalRelation) || !(((LogicalRelation) plan).relation() instanceof HadoopFsRelation)) {
      throw new IllegalStateException("Cannot list empty files: binaryFile gave an unexpected plan " + plan.nodeName());
    }
    FileIndex index = ((HadoopFsRelation) ((LogicalRelation) plan).relation()).location();
    if (!(index instanceof PartitioningAwareFileIndex)) {
      throw new IllegalStateException("Cannot list empty files: unexpected file index " + index.getClass().getName());
    }
    List<Row> out = new ArrayList<>();
    for (FileStatus status : JavaConverters.seqAsJavaList(((PartitioningAwareFileIndex) index).allFiles())) {
      if (status.getLen() == 0) {
        // The same form of path the binaryFile scan writes, so joins on path keep working.
        out.add(RowFactory.create(status.getPath().toString(), 0L));
      }
    }
    return out;
  }
}
