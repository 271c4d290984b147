package org.sparksaliency.job.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.run.TestSpark;

/**
 * Runs share an output folder; a rerun replaces its own run_id partitions and report, nothing else.
 */
class OutputWriterTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.session(OutputWriterTest.class);
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  private static Dataset<Row> rows(String runId, String... methods) {
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < methods.length; i++) {
      values
          .append(i == 0 ? "" : ", ")
          .append(String.format("('img-%d', '%s', '%s')", i, methods[i], runId));
    }
    return spark.sql("SELECT * FROM VALUES " + values + " AS t(path, method, run_id)");
  }

  private static List<String> table(Path out, String name) {
    return spark
        .read()
        .parquet(out.resolve(name).toString())
        .selectExpr("concat_ws('/', run_id, method, path)")
        .orderBy("concat_ws(/, run_id, method, path)")
        .collectAsList()
        .stream()
        .map(r -> r.getString(0))
        .toList();
  }

  @Test
  void aRerunReplacesOnlyItsOwnPartitionsAndReport() throws IOException {
    Path out = Files.createTempDirectory("output-writer");
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    OutputWriter a = new OutputWriter(out.toString(), "a");
    OutputWriter b = new OutputWriter(out + "/", "b");
    a.heatmaps(rows("a", "gradient", "gradcam"));
    a.report(java.util.Map.of("run_id", "a", "attempt", 1), conf);
    b.heatmaps(rows("b", "gradient"));
    b.report(java.util.Map.of("run_id", "b", "attempt", 1), conf);
    a.heatmaps(rows("a", "gradcam"));
    a.report(java.util.Map.of("run_id", "a", "attempt", 2), conf);

    assertThat(table(out, "heatmaps")).containsExactly("a/gradcam/img-0", "b/gradient/img-0");
    assertThat(out.resolve("heatmaps/run_id=a/method=gradcam")).isDirectory();
    assertThat(out.resolve("heatmaps/run_id=a/method=gradient")).doesNotExist();
    assertThat(Files.readString(out.resolve("runs/a/run.json"))).contains("\"attempt\" : 2");
    assertThat(Files.readString(out.resolve("runs/b/run.json"))).contains("\"attempt\" : 1");
  }

  @Test
  void runIdsComeBackAsTextWhateverTheyLookLike() throws IOException {
    Path out = Files.createTempDirectory("output-writer-types");
    new OutputWriter(out.toString(), "nightly-2024-01-01")
        .quarantine(rows("nightly-2024-01-01", "gradient"));
    new OutputWriter(out.toString(), "r42").quarantine(rows("r42", "gradient"));
    Dataset<Row> q = spark.read().parquet(out.resolve("quarantine").toString());
    assertThat(q.schema().apply("run_id").dataType().typeName()).isEqualTo("string");
    assertThat(q.select("run_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrder("nightly-2024-01-01", "r42");
    // Why --run-id must start with a letter: a date-like folder value would be read back as a date.
    Path dated = Files.createTempDirectory("output-writer-dated");
    new OutputWriter(dated.toString(), "2024-01-01").quarantine(rows("2024-01-01", "gradient"));
    assertThat(
            spark
                .read()
                .parquet(dated.resolve("quarantine").toString())
                .schema()
                .apply("run_id")
                .dataType()
                .typeName())
        .isEqualTo("date");
  }
}
