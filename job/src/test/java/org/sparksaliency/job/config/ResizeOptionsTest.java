package org.sparksaliency.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.image.Resize;

/** --resize and --resize-size: defaults, the crop size derived from --image-size, bad pairs. */
class ResizeOptionsTest {
  private static Resize resize(String... extra) {
    String[] args = new String[6 + extra.length];
    System.arraycopy(
        new String[] {"--input", "in", "--model", "m.pt", "--output", "out"}, 0, args, 0, 6);
    System.arraycopy(extra, 0, args, 6, extra.length);
    return JobOptions.parse(args).explain().resize();
  }

  @Test
  void squashIsTheDefault() {
    assertThat(resize()).isEqualTo(Resize.SQUASH);
  }

  @Test
  void cropTakesItsSizeFromTheImageSizeUnlessGiven() {
    assertThat(resize("--resize", "crop")).isEqualTo(Resize.crop(256));
    assertThat(resize("--resize", "crop", "--image-size", "128")).isEqualTo(Resize.crop(146));
    assertThat(resize("--resize", "crop", "--resize-size", "224")).isEqualTo(Resize.crop(224));
  }

  @Test
  void aDatasetExplainedFromCodeTakesThemToo() {
    DatasetConfig d =
        JobOptions.buildDataset(Map.of("model", "m.pt", "resize", "crop", "resize-size", "232"));
    assertThat(d.explain().resize()).isEqualTo(Resize.crop(232));
  }

  @Test
  void badPairsNameTheOption() {
    assertThatThrownBy(() -> resize("--resize", "crop", "--resize-size", "200"))
        .hasMessage(
            "Cannot use --resize-size: '200' is below --image-size 224: the crop would not fit");
    assertThatThrownBy(() -> resize("--resize-size", "256"))
        .hasMessage("Cannot use --resize-size: '256' applies only with --resize crop");
    assertThatThrownBy(() -> resize("--resize", "fit"))
        .hasMessage("Cannot use --resize: unknown mode 'fit'; known: squash, crop");
  }
}
