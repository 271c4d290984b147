package org.sparksaliency.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class FloorReportTest {
  @Test
  void stageFiguresGiveRateBusyShareAndShareOutsidePasses() {
    StageFigures f = new StageFigures(256, 8.0, 4.0, 1.0);

    assertThat(f.imagesPerSecond()).isEqualTo(32.0);
    assertThat(f.busyShare()).isEqualTo(0.5);
    assertThat(f.outsidePassesShare()).isCloseTo(0.75, within(1e-12));
    assertThat(new StageFigures(1, 1.0, 0.0, 0.0).outsidePassesShare()).isNaN();
  }

  @Test
  void tableShowsMedianRoundsRatioRangeAndOwnerShares() {
    FloorReport r = new FloorReport("AMD EPYC, 2 CPUs, 2 threads used");
    // Three rounds: job 32, 16 and 64 images/s against PyTorch 16, 32 and 16 (ratios 2, 0.5, 4).
    r.add(
        new FloorReport.Row(
            "tiny",
            "gradient",
            List.of(
                new StageFigures(256, 8.0, 4.0, 1.0),
                new StageFigures(256, 16.0, 4.0, 1.0),
                new StageFigures(256, 4.0, 4.0, 1.0)),
            List.of(16.0, 32.0, 16.0)));
    r.add(
        new FloorReport.Row(
            "resnet18",
            "smoothgrad",
            List.of(new StageFigures(32, 64.0, 60.0, 57.0)),
            List.of(Double.NaN)));

    String text = r.text("8.00 7.50 7.00", "9.00 8.00 7.10");

    assertThat(text)
        .contains("machine: AMD EPYC, 2 CPUs, 2 threads used")
        .contains("load average (1, 5, 15 min): before 8.00 7.50 7.00, after 9.00 8.00 7.10")
        // Medians: job 32 images/s (its round: busy 50 %, 75 % outside passes), PyTorch 16, and
        // the median of the rounds' ratios, 2.
        .contains(
            "tiny      gradient                 256      32.00          16.00    2.00x      0.50-4.00x"
                + "        50 %            75 %")
        .contains(
            "resnet18  smoothgrad                32       0.50              -        -               -"
                + "        94 %             5 %")
        .doesNotContain("fixed cost");
  }

  @Test
  void aRowNeedsAsManyPytorchRoundsAsJobRounds() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new FloorReport.Row(
                    "tiny",
                    "gradient",
                    List.of(new StageFigures(1, 1.0, 0.0, 0.0)),
                    List.of(1.0, 2.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot report tiny gradient: 1 job rounds, 2 PyTorch rounds");
  }

  @Test
  void optionsRejectAnUnknownModelNamingTheKnownOnes() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                FloorBenchOptions.parse(
                    new String[] {"--models", "resnet50"}, java.nio.file.Path.of("."), 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot run bench-floor: --models has unknown 'resnet50'; known: resnet18, tiny");
  }
}
