package org.sparksaliency.job.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.fs.GlobalStorageStatistics;
import org.apache.hadoop.fs.StorageStatistics;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.input.InputFiles;
import org.sparksaliency.job.model.ExecutorModels;
import org.sparksaliency.job.model.HadoopConf;
import org.sparksaliency.job.model.ModelSpec;
import org.sparksaliency.job.output.RunSummary;

/**
 * A run reads its model file once, on the driver, to hash it, whatever stages it has: the explain
 * stage, {@code --incremental}, {@code --layer-stats} and {@code --sanity-check} all take the
 * sha-256 from the run's settings. Measured with Hadoop's own statistics of the bytes read from the
 * model's filesystem, a scheme of its own ({@link CountedLocalFileSystem}) so that no image or
 * table read counts.
 */
class ModelReadOncePerRunTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  @TempDir static Path dir;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark =
        TestSpark.session(
            ModelReadOncePerRunTest.class,
            "local[2]",
            Map.of(
                "spark.hadoop.fs." + CountedLocalFileSystem.SCHEME + ".impl",
                CountedLocalFileSystem.class.getName()));
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  /**
   * What Hadoop counts for the scheme: every FileSystem instance of it adds to these statistics.
   */
  private static long modelBytesRead() {
    StorageStatistics s = GlobalStorageStatistics.INSTANCE.get(CountedLocalFileSystem.SCHEME);
    Long bytes = s == null ? null : s.getLong("bytesRead");
    return bytes == null ? 0 : bytes;
  }

  @Test
  void aRunWithEveryStageThatUsesTheModelReadsTheModelFileOnce() throws IOException {
    Path model =
        Files.copy(Path.of("src/test/resources/models/tiny_dead.pt"), dir.resolve("model.pt"));
    long size = Files.size(model);
    String uri = CountedLocalFileSystem.SCHEME + "://" + model.toAbsolutePath();
    Path input = Files.createDirectories(dir.resolve("in"));
    for (String name : new String[] {"img_000.jpg", "img_001.png", "img_002.jpg"}) {
      Files.copy(ROOT.resolve("sample-data/images").resolve(name), input.resolve(name));
    }

    // The executor (this JVM) loads the model first: its one local copy is read apart from the run.
    long before = modelBytesRead();
    ModelSpec spec =
        new ModelSpec(
            uri,
            InputFiles.sha256(Files.readAllBytes(model)),
            1,
            new HadoopConf(spark.sparkContext().hadoopConfiguration()));
    ExecutorModels.acquire(spec, "cpu", m -> {});
    assertThat(modelBytesRead() - before).as("bytes read by the executor's copy").isEqualTo(size);

    before = modelBytesRead();
    RunSummary summary =
        SaliencyJob.run(
            spark,
            JobOptions.parse(
                "--input",
                input.toString(),
                "--model",
                uri,
                "--output",
                dir.resolve("out").toString(),
                "--methods",
                "gradient",
                "--image-size",
                "16",
                "--partitions",
                "2",
                "--torch-threads",
                "1",
                "--incremental",
                "--layer-stats",
                "--sanity-check",
                "--sanity-images",
                "2",
                "--run-id",
                "once"));
    assertThat(summary.heatmapsByMethod()).containsEntry("gradient", 3L);
    assertThat(spark.read().parquet(dir.resolve("out/layer_stats").toString()).count())
        .isPositive();
    assertThat(spark.read().parquet(dir.resolve("out/sanity").toString()).count()).isPositive();
    // Before the run resolved its settings once, the explain stage, --incremental, --layer-stats
    // and
    // --sanity-check each hashed the model: 4 reads.
    assertThat(modelBytesRead() - before)
        .as("bytes read from the model file by the run")
        .isEqualTo(size);
  }
}
