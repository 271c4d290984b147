package org.sparksaliency.job.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.output.RunSummary;

/** The progress lines the driver prints while the images are explained, and {@code --quiet}. */
class ProgressPrinterTest {
  private static final Pattern LINE =
      Pattern.compile(
          "progress: (\\d+)/(\\d+) files \\([0-9.]+%\\) in [^,]+, [0-9.]+ files/s, (ETA [^,]+|done), (\\d+) quarantined");
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.session(ProgressPrinterTest.class);
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  @Test
  void aRunPrintsLinesOfTheListedTotalEndingWithEveryFileDone() {
    String progress = SampleRun.of(spark).progress(); // --progress-interval 1
    List<long[]> lines = new ArrayList<>();
    for (String line : progress.split("\\R")) {
      Matcher m = LINE.matcher(line);
      assertThat(m.matches()).as("progress line '%s'", line).isTrue();
      lines.add(
          new long[] {
            Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(4))
          });
    }
    System.out.println("Sample run progress:\n" + progress);
    // At least one line while the stage ran (it takes far longer than the 1 s interval) and the
    // last one.
    assertThat(lines).hasSizeGreaterThanOrEqualTo(2);
    assertThat(lines).allSatisfy(l -> assertThat(l[1]).isEqualTo(40));
    for (int i = 1; i < lines.size(); i++) {
      assertThat(lines.get(i)[0]).isGreaterThanOrEqualTo(lines.get(i - 1)[0]);
    }
    assertThat(lines.get(lines.size() - 1)).containsExactly(40, 40, 0);
    assertThat(progress.strip()).endsWith("done, 0 quarantined");
  }

  @Test
  void quietPrintsNoProgress(@TempDir Path dir) throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.copy(ROOT.resolve("sample-data/images/img_000.jpg"), in.resolve("a.jpg"));
    Files.write(in.resolve("broken.png"), new byte[] {1, 2, 3});
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RunSummary s =
        SaliencyJob.run(
            spark,
            JobOptions.parse(
                "--input",
                in.toString(),
                "--model",
                ROOT.resolve("sample-data/model/shapes_cnn.pt").toString(),
                "--output",
                dir.resolve("out").toString(),
                "--methods",
                "gradient",
                "--image-size",
                "128",
                "--run-id",
                "quiet",
                "--quiet",
                "--progress-interval",
                "1"),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(s.heatmapsByMethod()).containsEntry("gradient", 1L);
    assertThat(s.quarantinedFiles()).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void lineShowsRateAndEtaAndNeverMoreThanTheTotal() {
    assertThat(ProgressPrinter.line(10, 40, 1, 5.0))
        .isEqualTo("progress: 10/40 files (25.0%) in 5 s, 2.00 files/s, ETA 15 s, 1 quarantined");
    assertThat(ProgressPrinter.line(0, 40, 0, 3.0))
        .isEqualTo("progress: 0/40 files (0.0%) in 3 s, 0.00 files/s, ETA unknown, 0 quarantined");
    // A retried task's partial count can briefly add to the merged one: never shown above the
    // total.
    assertThat(ProgressPrinter.line(42, 40, 0, 200.0))
        .isEqualTo(
            "progress: 40/40 files (100.0%) in 3 min 20 s, 0.20 files/s, done, 0 quarantined");
    assertThat(ProgressPrinter.line(1, 1000, 0, 10.0)).contains("ETA 2 h 46 min");
  }
}
