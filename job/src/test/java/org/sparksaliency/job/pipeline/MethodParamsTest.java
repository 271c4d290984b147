package org.sparksaliency.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.sparksaliency.job.config.ExplainConfig;
import org.sparksaliency.job.config.JobOptions;

class MethodParamsTest {
  private static ExplainConfig explain(String... extra) {
    String[] args = new String[6 + extra.length];
    System.arraycopy(new String[] {"--input", "in", "--model", "m.pt", "--output", "out"}, 0, args, 0, 6);
    System.arraycopy(extra, 0, args, 6, extra.length);
    return JobOptions.parse(args).explain();
  }

  @Test
  void everySettingThatChangesAHeatmapIsInTheCanonicalString() {
    assertThat(MethodParams.of(explain(), "gradcam"))
        .isEqualTo("heatmap_size=56;image_size=224;mean=0.485,0.456,0.406;std=0.229,0.224,0.225;target=predicted");
  }

  @Test
  void batchSizesAndNumberSpellingDoNotChangeItTheHeatmapSizeDoes() {
    assertThat(MethodParams.of(explain("--batch-size", "3", "--micro-batch-size", "2"), "gradient"))
        .isEqualTo(MethodParams.of(explain(), "gradient"));
    assertThat(MethodParams.of(explain("--mean", "0.4850, .456 ,0.406"), "gradient"))
        .isEqualTo(MethodParams.of(explain(), "gradient"));
    assertThat(MethodParams.of(explain("--heatmap-size", "28"), "gradient"))
        .isNotEqualTo(MethodParams.of(explain(), "gradient"));
  }

  @Test
  void aMethodThatIsNotConfiguredHasNoParameters() {
    assertThatThrownBy(() -> MethodParams.of(explain("--methods", "gradient"), "gradcam"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot describe the parameters of method 'gradcam': it is not one of [gradient]");
  }
}
