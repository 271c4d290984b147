package org.sparksaliency.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.udf.Colormap;

/** {@code --report} and its settings, {@code --progress-interval} and {@code --quiet}. */
class ReportAndProgressOptionsTest {
  private static final String[] RUN = {"--input", "in", "--model", "m.pt", "--output", "out"};

  private static JobConfig parse(String... more) {
    String[] all = new String[RUN.length + more.length];
    System.arraycopy(RUN, 0, all, 0, RUN.length);
    System.arraycopy(more, 0, all, RUN.length, more.length);
    return JobOptions.parse(all);
  }

  @Test
  void defaultsAreNoReportViridisThreeImagesFiftyClassesAndProgressEveryFiveSeconds() {
    JobConfig c = parse();
    assertThat(c.report()).isEqualTo(new ReportConfig(false, Colormap.VIRIDIS, 3, 50));
    assertThat(c.progress()).isEqualTo(new ProgressConfig(false, 5));
  }

  @Test
  void flagsAndValuesAreRead() {
    JobConfig c =
        parse(
            "--report",
            "--report-colormap",
            "jet",
            "--report-images",
            "5",
            "--report-classes",
            "10",
            "--quiet",
            "--progress-interval",
            "30");
    assertThat(c.report()).isEqualTo(new ReportConfig(true, Colormap.JET, 5, 10));
    assertThat(c.progress()).isEqualTo(new ProgressConfig(true, 30));
  }

  @Test
  void yamlConfigSetsThemToo(@TempDir Path dir) throws IOException {
    Path yaml = dir.resolve("c.yaml");
    Files.writeString(
        yaml,
        "input: in\nmodel: m.pt\noutput: out\nreport: true\nquiet: true\nprogress-interval: 2\n");
    JobConfig c = JobOptions.parse("--config", yaml.toString());
    assertThat(c.report().enabled()).isTrue();
    assertThat(c.progress()).isEqualTo(new ProgressConfig(true, 2));
  }

  @Test
  void badValuesNameTheOption() {
    assertThatThrownBy(() -> parse("--report-colormap", "hot"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot use --report-colormap: unknown colormap 'hot'; known: viridis, jet");
    assertThatThrownBy(() -> parse("--report-images", "0"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot use --report-images: '0' must be between 1 and 20");
    assertThatThrownBy(() -> parse("--progress-interval", "0"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot use --progress-interval: '0' must be between 1 and 3600");
    assertThatThrownBy(() -> parse("--quiet", "maybe"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot use --quiet: 'maybe' must be true or false");
  }
}
