package org.sparksaliency.job.input;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.GlobPattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.datasources.FileIndex;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.execution.datasources.PartitioningAwareFileIndex;
import org.apache.spark.sql.functions;
import scala.collection.JavaConverters;

/**
 * Lists the input images with Spark's binaryFile source, without their content: the explain stage
 * reads each file itself, so a file too large to hold is quarantined, not loaded.
 *
 * <p>Spark's file scans skip zero-byte files, so a scan alone would lose them without a trace.
 * Their listing (the file index, already on the driver) still holds them: they are added back here,
 * so that an empty upload is quarantined as {@code empty_file} like any other broken file. Files
 * the glob does not select are counted, with a few names, for the summary and run.json.
 */
public final class ImageListing {
  /** How many skipped file names a listing keeps as examples. */
  static final int EXAMPLES = 5;

  /**
   * The images to explain and what the glob left out.
   *
   * @param images rows of (path, length), path fully qualified as binaryFile gives it
   * @param count how many rows {@code images} holds, counted from the driver's file index (no Spark
   *     job)
   * @param skipped files under the input that the glob did not select (never read)
   * @param skippedExamples up to {@link #EXAMPLES} of their paths, in listing order
   */
  public record Listing(
      Dataset<Row> images, long count, long skipped, List<String> skippedExamples) {
    public Listing {
      skippedExamples = List.copyOf(skippedExamples);
    }
  }

  private ImageListing() {}

  /** Rows of (path, length), path fully qualified as binaryFile gives it. */
  public static Dataset<Row> read(SparkSession spark, String input, String glob) {
    return list(spark, input, glob).images();
  }

  /**
   * Lists every file under {@code input} once (Spark's file index, on the driver) and splits it by
   * {@code glob}, matched against file names as binaryFile's pathGlobFilter matches them: the
   * matching files are the images, the others are counted and named, so no file disappears without
   * a trace. Files whose names start with "_" or "." are Hadoop's and Spark's hidden files and are
   * not listed at all.
   */
  public static Listing list(SparkSession spark, String input, String glob) {
    // One pattern decides for the scan and for the count: Hadoop's glob as a whole-name regular
    // expression.
    Pattern names = Pattern.compile("^(?:" + GlobPattern.compile(glob).pattern() + ")$");
    Dataset<Row> files =
        spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(input);
    Column name = functions.substring_index(functions.col("path"), "/", -1);
    Column selected = name.rlike(names.pattern());
    Dataset<Row> listed =
        files.filter(selected).select(functions.col("path"), functions.col("length"));
    List<Row> empty = new ArrayList<>();
    long count = 0;
    long skipped = 0;
    List<String> examples = new ArrayList<>();
    for (FileStatus status : allFiles(files)) {
      if (!names.matcher(status.getPath().getName()).matches()) {
        skipped++;
        if (examples.size() < EXAMPLES) {
          examples.add(status.getPath().toString());
        }
        continue;
      }
      count++;
      if (status.getLen() == 0) {
        // Spark's file scans skip zero-byte files: add them back, in the form of path the scan
        // writes, so an
        // empty upload is quarantined as empty_file like any other broken file.
        empty.add(RowFactory.create(status.getPath().toString(), 0L));
      }
    }
    Dataset<Row> images =
        empty.isEmpty() ? listed : listed.union(spark.createDataFrame(empty, listed.schema()));
    return new Listing(images, count, skipped, examples);
  }

  /** Every file of the listing behind {@code files} (the driver's file index; no Spark job). */
  private static List<FileStatus> allFiles(Dataset<Row> files) {
    LogicalPlan plan = files.queryExecution().analyzed();
    if (!(plan instanceof LogicalRelation)
        || !(((LogicalRelation) plan).relation() instanceof HadoopFsRelation)) {
      throw new IllegalStateException(
          "Cannot list the input: binaryFile gave an unexpected plan " + plan.nodeName());
    }
    FileIndex index = ((HadoopFsRelation) ((LogicalRelation) plan).relation()).location();
    if (!(index instanceof PartitioningAwareFileIndex)) {
      throw new IllegalStateException(
          "Cannot list the input: unexpected file index " + index.getClass().getName());
    }
    return JavaConverters.seqAsJavaList(((PartitioningAwareFileIndex) index).allFiles());
  }
}
