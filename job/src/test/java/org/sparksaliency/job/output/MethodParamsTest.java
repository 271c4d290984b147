package org.sparksaliency.job.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.method.ExplainConfig;

class MethodParamsTest {
  private static ExplainConfig explain(String... extra) {
    String[] args = new String[6 + extra.length];
    System.arraycopy(
        new String[] {"--input", "in", "--model", "m.pt", "--output", "out"}, 0, args, 0, 6);
    System.arraycopy(extra, 0, args, 6, extra.length);
    return JobOptions.parse(args).explain();
  }

  @Test
  void everySettingThatChangesAHeatmapIsInTheCanonicalString() {
    assertThat(MethodParams.of(explain(), "gradcam"))
        .isEqualTo(
            "heatmap_size=56;image_size=224;mean=0.485,0.456,0.406;resize=squash;std=0.229,0.224,0.225;"
                + "target=predicted");
  }

  @Test
  void theCropAndItsResolvedSizeAreRecorded() {
    assertThat(MethodParams.of(explain("--resize", "crop"), "gradient"))
        .contains(";resize=crop;resize_size=256;");
    assertThat(MethodParams.of(explain("--resize", "crop", "--image-size", "128"), "gradient"))
        .contains(";resize=crop;resize_size=146;");
    assertThat(MethodParams.of(explain("--resize", "crop", "--resize-size", "232"), "gradient"))
        .contains(";resize=crop;resize_size=232;");
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
  void aMethodsOwnSettingsAreInItsStringAndOnlyInIts() {
    String methods = "integrated_gradients,smoothgrad,occlusion,rise,attention_rollout,gradient";
    ExplainConfig base = explain("--methods", methods, "--image-size", "64");
    assertThat(MethodParams.of(base, "integrated_gradients"))
        .endsWith(
            ";ig_baseline=black;ig_steps=32;image_size=64;mean=0.485,0.456,0.406;resize=squash;"
                + "std=0.229,0.224,0.225;"
                + "target=predicted");
    assertThat(MethodParams.of(base, "occlusion"))
        .contains("occlusion_stride=4;occlusion_window=8");
    assertThat(MethodParams.of(base, "rise"))
        .contains("rise_grid=7;rise_masks=1000;rise_p=0.5;seed=0");
    assertThat(MethodParams.of(base, "attention_rollout"))
        .contains("rollout_discard=0.0;rollout_head_fusion=mean");
    // Changing one method's setting changes that method's string only: --incremental recomputes
    // just it.
    ExplainConfig moreSteps =
        explain("--methods", methods, "--image-size", "64", "--ig-steps", "64");
    assertThat(MethodParams.of(moreSteps, "integrated_gradients"))
        .isNotEqualTo(MethodParams.of(base, "integrated_gradients"));
    for (String other :
        new String[] {"smoothgrad", "occlusion", "rise", "attention_rollout", "gradient"}) {
      assertThat(MethodParams.of(moreSteps, other))
          .as(other)
          .isEqualTo(MethodParams.of(base, other));
    }
    ExplainConfig seeded = explain("--methods", methods, "--image-size", "64", "--seed", "7");
    assertThat(MethodParams.of(seeded, "smoothgrad"))
        .isNotEqualTo(MethodParams.of(base, "smoothgrad"));
    assertThat(MethodParams.of(seeded, "integrated_gradients"))
        .as("the black baseline draws nothing")
        .isEqualTo(MethodParams.of(base, "integrated_gradients"));
  }

  @Test
  void aMethodThatIsNotConfiguredHasNoParameters() {
    assertThatThrownBy(() -> MethodParams.of(explain("--methods", "gradient"), "gradcam"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot describe the parameters of method 'gradcam': it is not one of [gradient]");
  }
}
