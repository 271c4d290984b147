package org.sparksaliency.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.sparksaliency.job.api.SaliencyExplainer;
import org.sparksaliency.job.method.IgBaseline;
import org.sparksaliency.job.method.SamplingOptions;

/** The options of the sampling methods: defaults, derived values and one-line validation messages. */
class SamplingOptionsParseTest {
  private static JobConfig parse(String... extra) {
    String[] all = new String[6 + extra.length];
    System.arraycopy(new String[] {"--input", "in/", "--model", "m.pt", "--output", "out/"}, 0, all, 0, 6);
    System.arraycopy(extra, 0, all, 6, extra.length);
    return JobOptions.parse(all);
  }

  private static SamplingOptions sampling(String... extra) {
    return parse(extra).explain().methodOptions().sampling();
  }

  @Test
  void defaultsMatchTheDocumentedOnes() {
    SamplingOptions s = sampling();
    assertThat(s).isEqualTo(SamplingOptions.DEFAULTS);
    assertThat(s.igSteps()).isEqualTo(32);
    assertThat(s.igBaseline()).isEqualTo(IgBaseline.BLACK);
    assertThat(s.smoothGradSamples()).isEqualTo(16);
    assertThat(s.smoothGradSigma()).isEqualTo(0.15f);
    assertThat(s.seed()).isZero();
    // 1/8 of the 224 input, stride half the window
    assertThat(s.occlusionWindow(224)).isEqualTo(28);
    assertThat(s.occlusionStride(224)).isEqualTo(14);
    assertThat(s.riseMasks()).isEqualTo(1000);
    assertThat(s.riseGrid()).isEqualTo(7);
    assertThat(s.riseProbability()).isEqualTo(0.5f);
  }

  @Test
  void occlusionDefaultsFollowTheImageSizeAndTheWindow() {
    assertThat(sampling("--image-size", "128").occlusionWindow(128)).isEqualTo(16);
    SamplingOptions s = sampling("--image-size", "128", "--occlusion-window", "20");
    assertThat(s.occlusionWindow(128)).isEqualTo(20);
    assertThat(s.occlusionStride(128)).isEqualTo(10);
  }

  @Test
  void everyValueIsRead() {
    SamplingOptions s =
        sampling(
            "--ig-steps", "64", "--ig-baseline", "blur", "--smoothgrad-samples", "8", "--smoothgrad-sigma", "0.3",
            "--seed", "-7", "--occlusion-window", "32", "--occlusion-stride", "32", "--rise-masks", "50",
            "--rise-grid", "5", "--rise-p", "0.25");
    assertThat(s).isEqualTo(new SamplingOptions(64, IgBaseline.BLUR, 8, 0.3f, -7L, 32, 32, 50, 5, 0.25f));
  }

  @Test
  void badValuesAreNamedInOneLine() {
    assertThatThrownBy(() -> parse("--ig-steps", "0"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot use --ig-steps: '0' must be between 1 and 100000");
    assertThatThrownBy(() -> parse("--ig-baseline", "white"))
        .hasMessage("Cannot use --ig-baseline: unknown baseline 'white'; known: black, blur, uniform");
    assertThatThrownBy(() -> parse("--smoothgrad-sigma", "-0.1"))
        .hasMessage("Cannot use --smoothgrad-sigma: '-0.1' must be between 0.0 and 1.0");
    assertThatThrownBy(() -> parse("--smoothgrad-sigma", "NaN"))
        .hasMessage("Cannot use --smoothgrad-sigma: 'NaN' must be between 0.0 and 1.0");
    assertThatThrownBy(() -> parse("--seed", "1.5")).hasMessage("Cannot use --seed: '1.5' is not a whole number");
    assertThatThrownBy(() -> parse("--occlusion-window", "300"))
        .hasMessage("Cannot use --occlusion-window: '300' must be between 0 and 224");
    assertThatThrownBy(() -> parse("--occlusion-window", "16", "--occlusion-stride", "17"))
        .hasMessage("Cannot use --occlusion-stride: '17' must be at most the occlusion window (16), or 0 for half of it");
    assertThatThrownBy(() -> parse("--occlusion-stride", "29"))
        .hasMessage("Cannot use --occlusion-stride: '29' must be at most the occlusion window (28), or 0 for half of it");
    assertThatThrownBy(() -> parse("--rise-p", "0"))
        .hasMessage("Cannot use --rise-p: '0' must be above 0 (no cell would ever be kept)");
    assertThatThrownBy(() -> parse("--rise-grid", "300"))
        .hasMessage("Cannot use --rise-grid: '300' must be between 1 and 224");
  }

  @Test
  void smoothGradSigmaZeroIsAccepted() {
    for (String zero : new String[] {"0", "0.0", "-0"}) {
      SamplingOptions s =
          sampling("--methods", "gradient,smoothgrad,smoothgrad_sq,vargrad", "--smoothgrad-sigma", zero);
      assertThat(s).as(zero).isEqualTo(SamplingOptions.DEFAULTS.withSmoothGrad(16, 0f, 0L));
      assertThat(Float.floatToIntBits(s.smoothGradSigma())).as(zero).isZero();
    }
    SaliencyExplainer.builder().setModel("m.pt").optMethods("vargrad").optSmoothgradSigma(0f).build();
    assertThat(new SamplingOptions(32, IgBaseline.BLACK, 16, 0f, 0L, 0, 0, 1000, 7, 0.5f).smoothGradSigma()).isZero();
  }

  @Test
  void vargradNeedsTwoSamples() {
    assertThat(sampling("--smoothgrad-samples", "1").smoothGradSamples()).isEqualTo(1);
    assertThatThrownBy(() -> parse("--methods", "vargrad", "--smoothgrad-samples", "1"))
        .hasMessage("Cannot use --smoothgrad-samples: '1' is too few for vargrad, which needs at least 2");
  }

  @Test
  void riseMasksMustFitInExecutorMemoryOnlyWhenRiseRuns() {
    assertThat(sampling("--rise-masks", "100000").riseMasks()).isEqualTo(100000);
    assertThatThrownBy(() -> parse("--methods", "rise", "--rise-masks", "100000"))
        .hasMessage("Cannot use --rise-masks: '100000' masks of 224x224 need 4785 MB, more than 1024 MB");
  }

  @Test
  void theJavaApiTakesThemUnderCamelCaseNames() {
    assertThatThrownBy(() -> SaliencyExplainer.builder().setModel("m.pt").optIgSteps(0).build())
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot use igSteps: '0' must be between 1 and 100000");
    assertThatThrownBy(() -> SaliencyExplainer.builder().setModel("m.pt").optRiseP(0f).build())
        .hasMessage("Cannot use riseP: '0.0' must be above 0 (no cell would ever be kept)");
    SaliencyExplainer.builder()
        .setModel("m.pt")
        .optMethods("integrated_gradients", "smoothgrad", "occlusion", "rise")
        .optIgSteps(8)
        .optIgBaseline(IgBaseline.UNIFORM)
        .optSmoothgradSamples(4)
        .optSmoothgradSigma(0.2f)
        .optSeed(3)
        .optOcclusionWindow(16)
        .optOcclusionStride(8)
        .optRiseMasks(10)
        .optRiseGrid(4)
        .optRiseP(0.4f)
        .build();
    assertThat(JobOptions.buildDataset(java.util.Map.of("model", "m.pt", "ig-steps", "8", "rise-masks", "10"))
            .explain().methodOptions().sampling())
        .isEqualTo(SamplingOptions.DEFAULTS.withIg(8, IgBaseline.BLACK).withRise(10, 7, 0.5f));
  }
}
