package org.sparksaliency.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.sparksaliency.job.option.ConfigException;

/** {@code --layer-stats} of {@code run}, and the options of {@code visualize}. */
class LayerStatsAndVisualizeOptionsTest {
  private static final String[] RUN = {"--input", "in", "--model", "m.pt", "--output", "out"};

  private static String[] run(String... more) {
    String[] all = new String[RUN.length + more.length];
    System.arraycopy(RUN, 0, all, 0, RUN.length);
    System.arraycopy(more, 0, all, RUN.length, more.length);
    return all;
  }

  @Test
  void layerStatsIsOffByDefaultAndASwitch() {
    assertThat(JobOptions.parse(run()).explain().layerStats()).isFalse();
    assertThat(JobOptions.parse(run("--layer-stats")).explain().layerStats()).isTrue();
    assertThat(
            JobOptions.parse("--layer-stats", "--input", "in", "--model", "m.pt", "--output", "out")
                .explain()
                .layerStats())
        .isTrue();
    assertThat(JobOptions.parse(run("--layer-stats", "false")).explain().layerStats()).isFalse();
    assertThat(JobOptions.parse(run("--layer-stats=true")).explain().layerStats()).isTrue();
  }

  @Test
  void layerStatsTakesOnlyTrueOrFalse() {
    assertThatThrownBy(() -> JobOptions.parse(run("--layer-stats", "yes")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot use --layer-stats: 'yes' must be true or false");
  }

  @Test
  void visualizeTakesDefaultsAndNames() {
    VisualizeConfig c =
        VisualizeOptions.parse(
            "--model", "m.pt", "--classes", "cat, 3", "--labels", "l.txt", "--output", "o");
    assertThat(c.classes()).containsExactly("cat", "3");
    assertThat(c.imageSize()).isEqualTo(224);
    assertThat(c.steps()).isEqualTo(200);
    assertThat(c.jitter()).isEqualTo(4);
    assertThat(c.blurEvery()).isEqualTo(4);
    assertThat(c.runId()).startsWith("visualize-");
  }

  @Test
  void visualizeRejectsBadValuesNamingTheOption() {
    assertThatThrownBy(
            () -> VisualizeOptions.parse("--model", "m.pt", "--classes", "cat", "--output", "o"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot use --classes: 'cat' is not a class index; class names need --labels");
    assertThatThrownBy(() -> VisualizeOptions.parse("--model", "m.pt", "--output", "o"))
        .hasMessage(
            "Cannot use --classes: it is required (comma list of class indices, or of names from --labels)");
    assertThatThrownBy(
            () -> VisualizeOptions.parse("--model", "m.pt", "--classes", "1,1", "--output", "o"))
        .hasMessage("Cannot use --classes: '1' is listed twice");
    assertThatThrownBy(
            () ->
                VisualizeOptions.parse(
                    "--model", "m.pt", "--classes", "1", "--output", "o", "--l2-decay", "1"))
        .hasMessage("Cannot use --l2-decay: '1' must be at least 0 and below 1");
    assertThatThrownBy(
            () ->
                VisualizeOptions.parse(
                    "--model",
                    "m.pt",
                    "--classes",
                    "1",
                    "--output",
                    "o",
                    "--image-size",
                    "32",
                    "--jitter",
                    "17"))
        .hasMessage("Cannot use --jitter: '17' must be between 0 and 16 (half the image size)");
    assertThatThrownBy(
            () ->
                VisualizeOptions.parse(
                    "--model", "m.pt", "--classes", "1", "--output", "o", "--stpes", "3"))
        .hasMessageStartingWith(
            "Cannot use --stpes: unknown option; known: model, model-sha256, classes,");
  }
}
