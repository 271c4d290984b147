package org.sparksaliency.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class SaliencyCliTest {

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        SaliencyCli.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void badOptionExitsTwoWithOneLineBeforeSparkStarts() {
    Result r =
        run("run", "--input", "in", "--model", "m.pt", "--output", "o", "--methods", "gradient,gradcm");
    assertThat(r.code()).isEqualTo(2);
    // Other methods follow in registration order; only the start is fixed here.
    assertThat(r.err()).startsWith("Cannot use --methods: unknown method 'gradcm'; known: gradient, gradcam").endsWith("\n");
    assertThat(r.err().lines()).hasSize(1);
    assertThat(SparkSession.getActiveSession().isDefined()).isFalse();
    assertThat(SparkSession.getDefaultSession().isDefined()).isFalse();
  }

  @Test
  void helpListsEveryOption() {
    Result r = run("run", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("--input (required)", "--model (required)", "--output (required)", "--methods",
            "--image-size", "--mean", "--std", "--batch-size", "--micro-batch-size", "--heatmap-size",
            "--target", "--master", "--config", "--labels", "--manifest");
  }

  @Test
  void unknownCommandIsNamed() {
    Result r = run("explain");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("Cannot run 'explain': unknown command; known: run, visualize (see --help)\n");
  }
}
