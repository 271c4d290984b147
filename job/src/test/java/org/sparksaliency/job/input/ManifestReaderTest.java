package org.sparksaliency.job.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeoutException;
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
 * The manifest as the job reads it: the header is checked on the driver and gives the CSV schema,
 * so reading starts no Spark job; names are trimmed, columns may come in any order, and extra ones
 * are ignored.
 */
class ManifestReaderTest {
  @TempDir static Path dir;
  private static SparkSession spark;
  private static SparkJobs jobs;

  @BeforeAll
  static void start() {
    spark = TestSpark.session(ManifestReaderTest.class);
    jobs = SparkJobs.count(spark);
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  private static String file(String relative) {
    return new org.apache.hadoop.fs.Path("file:" + dir.resolve(relative)).toString();
  }

  @Test
  void readingTheManifestStartsNoSparkJob() throws IOException, TimeoutException {
    String uri = ManifestFiles.write(dir, "plain.csv", "path,label", "a.jpg,cat", "b/c.jpg,dog");
    int before = jobs.started();
    var rows = ManifestReader.read(spark, uri);
    assertThat(jobs.started()).as("Spark jobs started by read()").isEqualTo(before);
    assertThat(rows.collectAsList())
        .extracting(r -> r.getString(0), r -> r.getString(1))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(file("a.jpg"), "cat"),
            org.assertj.core.groups.Tuple.tuple(file("b/c.jpg"), "dog"));
  }

  @Test
  void headerNamesAreTrimmedAndUnknownOrUnnamedColumnsIgnored() throws IOException {
    String uri =
        ManifestFiles.write(dir, "spaces.csv", "path , label,note,", "a.jpg ,cat ,kept out,");
    Row r = ManifestReader.read(spark, uri).collectAsList().get(0);
    assertThat(r.getString(0)).isEqualTo(file("a.jpg"));
    assertThat(r.getString(1)).isEqualTo("cat");
    assertThat(r.isNullAt(2)).as("no box columns").isTrue();
  }

  @Test
  void boxColumnsAreReadByNameInAnyOrder() throws IOException {
    String uri = ManifestFiles.write(dir, "box.csv", "y1,label,x1,path,y0,x0", "5,cat,4,a.jpg,2,1");
    Row r = ManifestReader.read(spark, uri).collectAsList().get(0);
    assertThat(r.getString(0)).isEqualTo(file("a.jpg"));
    assertThat(List.of(r.getDouble(2), r.getDouble(3), r.getDouble(4), r.getDouble(5)))
        .containsExactly(1.0, 2.0, 4.0, 5.0);
  }

  @Test
  void aHeaderThatNamesAColumnTheJobReadsTwiceIsRejected() throws IOException {
    String uri = ManifestFiles.write(dir, "twice.csv", "path,label,path", "a.jpg,cat,b.jpg");
    assertThatThrownBy(() -> ManifestReader.read(spark, uri))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot use --manifest: '%s' has header 'path,label,path', which names column path twice",
            uri);
  }
}
