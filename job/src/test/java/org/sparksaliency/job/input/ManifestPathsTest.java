package org.sparksaliency.job.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.run.SparkJobs;
import org.sparksaliency.job.run.TestSpark;

/**
 * A manifest that lists a path twice is rejected, naming the path, whether it is small enough to be
 * gathered to the driver (one Spark job, rows back as local rows) or checked by Spark.
 */
class ManifestPathsTest {
  @TempDir static Path dir;
  private static SparkSession spark;
  private static SparkJobs jobs;

  @BeforeAll
  static void start() {
    spark = TestSpark.session(ManifestPathsTest.class);
    jobs = SparkJobs.count(spark);
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  private static List<String> paths(Dataset<Row> rows) {
    return rows.collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
  }

  @Test
  void aSmallManifestIsCheckedOnTheDriverAfterOneJob() throws IOException, TimeoutException {
    String uri =
        ManifestFiles.write(
            dir, "small.csv", "path,label", "a.jpg,cat", "b.jpg,dog", "c/a.jpg,cat");
    Dataset<Row> read = ManifestReader.read(spark, uri);
    int before = jobs.started();
    Dataset<Row> checked = ManifestPaths.unique(spark, uri, read);
    assertThat(jobs.started() - before).as("Spark jobs of the check").isEqualTo(1);
    assertThat(checked.schema()).isEqualTo(ManifestReader.SCHEMA);
    assertThat(checked.collectAsList()).containsExactlyInAnyOrderElementsOf(read.collectAsList());
  }

  @Test
  void aLargeManifestStaysDistributed() throws IOException {
    String uri = ManifestFiles.write(dir, "large.csv", "path,label", "a.jpg,cat", "b.jpg,dog");
    Dataset<Row> read = ManifestReader.read(spark, uri);
    Dataset<Row> checked = ManifestPaths.unique(spark, uri, read, 0);
    assertThat(checked).isSameAs(read);
    assertThat(paths(checked)).hasSize(2);
  }

  @Test
  void aPathListedTwiceIsNamedWhateverTheManifestsSize() throws IOException {
    // The same file twice once resolved: "./a.jpg" is "a.jpg".
    String uri =
        ManifestFiles.write(
            dir, "twice.csv", "path,label", "a.jpg,cat", "b.jpg,dog", "./a.jpg,cow");
    String path = new org.apache.hadoop.fs.Path("file:" + dir.resolve("a.jpg")).toString();
    for (long gather : new long[] {0, ManifestPaths.GATHER_BYTES}) {
      assertThatThrownBy(
              () -> ManifestPaths.unique(spark, uri, ManifestReader.read(spark, uri), gather))
          .as("gathered up to %d bytes", gather)
          .isInstanceOf(ConfigException.class)
          .hasMessage("Cannot use --manifest: path '%s' appears 2 times", path);
    }
  }
}
