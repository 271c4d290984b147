package org.sparksaliency.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.api.SaliencyExplainer;
import org.sparksaliency.job.method.IgBaseline;
import org.sparksaliency.job.method.IntegratedGradientsMethod;
import org.sparksaliency.job.method.MethodOptions;
import org.sparksaliency.job.method.OcclusionMethod;
import org.sparksaliency.job.method.RiseMethod;
import org.sparksaliency.job.method.Seeds;
import org.sparksaliency.job.method.SmoothGradMethod;
import org.sparksaliency.job.option.ConfigException;

/**
 * The options of the sampling methods: defaults, derived values and one-line validation messages.
 */
class MethodOptionsParseTest {
  private static JobConfig parse(String... extra) {
    String[] all = new String[6 + extra.length];
    System.arraycopy(
        new String[] {"--input", "in/", "--model", "m.pt", "--output", "out/"}, 0, all, 0, 6);
    System.arraycopy(extra, 0, all, 6, extra.length);
    return JobOptions.parse(all);
  }

  private static MethodOptions sampling(String... extra) {
    return parse(extra).explain().methodOptions();
  }

  @Test
  void defaultsMatchTheDocumentedOnes() {
    MethodOptions s = sampling();
    assertThat(s).isEqualTo(MethodOptions.DEFAULTS);
    assertThat(s.get(IntegratedGradientsMethod.STEPS)).isEqualTo(32);
    assertThat(s.get(IntegratedGradientsMethod.BASELINE)).isEqualTo(IgBaseline.BLACK);
    assertThat(s.get(SmoothGradMethod.SAMPLES)).isEqualTo(16);
    assertThat(s.get(SmoothGradMethod.SIGMA)).isEqualTo(0.15f);
    assertThat(s.get(Seeds.SEED)).isZero();
    // 1/8 of the 224 input, stride half the window
    assertThat(window(s, 224)).isEqualTo(28);
    assertThat(stride(s, 224)).isEqualTo(14);
    assertThat(s.get(RiseMethod.MASKS)).isEqualTo(1000);
    assertThat(s.get(RiseMethod.GRID)).isEqualTo(7);
    assertThat(s.get(RiseMethod.P)).isEqualTo(0.5f);
  }

  @Test
  void occlusionDefaultsFollowTheImageSizeAndTheWindow() {
    assertThat(window(sampling("--image-size", "128"), 128)).isEqualTo(16);
    MethodOptions s = sampling("--image-size", "128", "--occlusion-window", "20");
    assertThat(window(s, 128)).isEqualTo(20);
    assertThat(stride(s, 128)).isEqualTo(10);
  }

  @Test
  void everyValueIsRead() {
    MethodOptions s =
        sampling(
            "--ig-steps",
            "64",
            "--ig-baseline",
            "blur",
            "--smoothgrad-samples",
            "8",
            "--smoothgrad-sigma",
            "0.3",
            "--seed",
            "-7",
            "--occlusion-window",
            "32",
            "--occlusion-stride",
            "32",
            "--rise-masks",
            "50",
            "--rise-grid",
            "5",
            "--rise-p",
            "0.25");
    assertThat(s)
        .isEqualTo(
            MethodOptions.DEFAULTS
                .with(IntegratedGradientsMethod.STEPS, 64)
                .with(IntegratedGradientsMethod.BASELINE, IgBaseline.BLUR)
                .with(SmoothGradMethod.SAMPLES, 8)
                .with(SmoothGradMethod.SIGMA, 0.3f)
                .with(Seeds.SEED, -7L)
                .with(OcclusionMethod.WINDOW, 32)
                .with(OcclusionMethod.STRIDE, 32)
                .with(RiseMethod.MASKS, 50)
                .with(RiseMethod.GRID, 5)
                .with(RiseMethod.P, 0.25f));
  }

  @Test
  void badValuesAreNamedInOneLine() {
    assertThatThrownBy(() -> parse("--ig-steps", "0"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot use --ig-steps: '0' must be between 1 and 100000");
    assertThatThrownBy(() -> parse("--ig-baseline", "white"))
        .hasMessage(
            "Cannot use --ig-baseline: unknown baseline 'white'; known: black, blur, uniform");
    assertThatThrownBy(() -> parse("--smoothgrad-sigma", "-0.1"))
        .hasMessage("Cannot use --smoothgrad-sigma: '-0.1' must be between 0 and 1");
    assertThatThrownBy(() -> parse("--smoothgrad-sigma", "NaN"))
        .hasMessage("Cannot use --smoothgrad-sigma: 'NaN' must be between 0 and 1");
    assertThatThrownBy(() -> parse("--seed", "1.5"))
        .hasMessage("Cannot use --seed: '1.5' is not a whole number");
    assertThatThrownBy(() -> parse("--occlusion-window", "300"))
        .hasMessage(
            "Cannot use --occlusion-window: '300' must be between 0 and 224 (the image size)");
    assertThatThrownBy(() -> parse("--occlusion-window", "16", "--occlusion-stride", "17"))
        .hasMessage(
            "Cannot use --occlusion-stride: '17' must be at most the occlusion window (16), or 0 for half of it");
    assertThatThrownBy(() -> parse("--occlusion-stride", "29"))
        .hasMessage(
            "Cannot use --occlusion-stride: '29' must be at most the occlusion window (28), or 0 for half of it");
    assertThatThrownBy(() -> parse("--rise-p", "0"))
        .hasMessage("Cannot use --rise-p: '0' must be above 0 and at most 1");
    assertThatThrownBy(() -> parse("--rise-grid", "300"))
        .hasMessage("Cannot use --rise-grid: '300' must be between 1 and 224 (the image size)");
  }

  @Test
  void smoothGradSigmaZeroIsAccepted() {
    for (String zero : new String[] {"0", "0.0", "-0"}) {
      MethodOptions s =
          sampling(
              "--methods", "gradient,smoothgrad,smoothgrad_sq,vargrad", "--smoothgrad-sigma", zero);
      assertThat(s)
          .as(zero)
          .isEqualTo(
              MethodOptions.DEFAULTS
                  .with(SmoothGradMethod.SAMPLES, 16)
                  .with(SmoothGradMethod.SIGMA, 0f)
                  .with(Seeds.SEED, 0L));
      assertThat(Float.floatToIntBits(s.get(SmoothGradMethod.SIGMA))).as(zero).isZero();
    }
    SaliencyExplainer.builder()
        .setModel("m.pt")
        .option(JobOptions.METHODS, List.of("vargrad"))
        .option(SmoothGradMethod.SIGMA, 0f)
        .build();
    assertThat(MethodOptions.DEFAULTS.with(SmoothGradMethod.SIGMA, -0f).get(SmoothGradMethod.SIGMA))
        .isZero();
  }

  @Test
  void vargradNeedsTwoSamples() {
    assertThat(sampling("--smoothgrad-samples", "1").get(SmoothGradMethod.SAMPLES)).isEqualTo(1);
    assertThatThrownBy(() -> parse("--methods", "vargrad", "--smoothgrad-samples", "1"))
        .hasMessage(
            "Cannot use --smoothgrad-samples: '1' is too few for vargrad, which needs at least 2");
  }

  @Test
  void riseMasksMustFitInExecutorMemoryOnlyWhenRiseRuns() {
    assertThat(sampling("--rise-masks", "100000").get(RiseMethod.MASKS)).isEqualTo(100000);
    assertThatThrownBy(() -> parse("--methods", "rise", "--rise-masks", "100000"))
        .hasMessage(
            "Cannot use --rise-masks: '100000' masks of 224x224 need 4785 MB, more than 1024 MB");
  }

  @Test
  void theJavaApiTakesThemUnderCamelCaseNames() {
    assertThatThrownBy(
            () ->
                SaliencyExplainer.builder()
                    .setModel("m.pt")
                    .option(IntegratedGradientsMethod.STEPS, 0)
                    .build())
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot use igSteps: '0' must be between 1 and 100000");
    assertThatThrownBy(
            () -> SaliencyExplainer.builder().setModel("m.pt").option(RiseMethod.P, 0f).build())
        .hasMessage("Cannot use riseP: '0.0' must be above 0 and at most 1");
    SaliencyExplainer.builder()
        .setModel("m.pt")
        .option(
            JobOptions.METHODS, List.of("integrated_gradients", "smoothgrad", "occlusion", "rise"))
        .option(IntegratedGradientsMethod.STEPS, 8)
        .option(IntegratedGradientsMethod.BASELINE, IgBaseline.UNIFORM)
        .option(SmoothGradMethod.SAMPLES, 4)
        .option(SmoothGradMethod.SIGMA, 0.2f)
        .option(Seeds.SEED, 3L)
        .option(OcclusionMethod.WINDOW, 16)
        .option(OcclusionMethod.STRIDE, 8)
        .option(RiseMethod.MASKS, 10)
        .option(RiseMethod.GRID, 4)
        .option(RiseMethod.P, 0.4f)
        .build();
    assertThat(
            JobOptions.buildDataset(
                    java.util.Map.of("model", "m.pt", "ig-steps", "8", "rise-masks", "10"))
                .explain()
                .methodOptions())
        .isEqualTo(
            MethodOptions.DEFAULTS
                .with(IntegratedGradientsMethod.STEPS, 8)
                .with(IntegratedGradientsMethod.BASELINE, IgBaseline.BLACK)
                .with(RiseMethod.MASKS, 10)
                .with(RiseMethod.GRID, 7)
                .with(RiseMethod.P, 0.5f));
  }

  private static int window(MethodOptions s, int imageSize) {
    return Integer.parseInt(s.paramsOf("occlusion", imageSize).get("occlusion_window"));
  }

  private static int stride(MethodOptions s, int imageSize) {
    return Integer.parseInt(s.paramsOf("occlusion", imageSize).get("occlusion_stride"));
  }
}
