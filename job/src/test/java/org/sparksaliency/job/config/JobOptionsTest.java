package org.sparksaliency.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparksaliency.job.method.AttentionRolloutMethod;
import org.sparksaliency.job.method.HeadFusion;
import org.sparksaliency.job.method.MethodOptions;
import org.sparksaliency.job.method.Rollout;
import org.sparksaliency.job.method.Target;
import org.sparksaliency.job.model.EngineCheckMode;
import org.sparksaliency.job.option.ConfigException;

class JobOptionsTest {
  private static final String[] REQUIRED = {
    "--input", "in/", "--model", "m.pt", "--output", "out/"
  };

  private static String[] with(String... extra) {
    String[] all = new String[REQUIRED.length + extra.length];
    System.arraycopy(REQUIRED, 0, all, 0, REQUIRED.length);
    System.arraycopy(extra, 0, all, REQUIRED.length, extra.length);
    return all;
  }

  @Test
  void defaultsMatchTheDocumentedOnes() {
    JobConfig c = JobOptions.parse(REQUIRED);
    assertThat(c.explain().methods()).containsExactly("gradient", "gradcam");
    assertThat(c.explain().imageSize()).isEqualTo(224);
    assertThat(c.explain().heatmapSize()).isEqualTo(56);
    assertThat(c.explain().mean()).containsExactly(0.485f, 0.456f, 0.406f);
    assertThat(c.explain().std()).containsExactly(0.229f, 0.224f, 0.225f);
    assertThat(c.explain().target()).isEqualTo(Target.PREDICTED);
    assertThat(c.master()).isEmpty();
    assertThat(c.output().runId()).startsWith("run-");
    assertThat(c.input().maxQuarantineRatio()).isEqualTo(0.5);
    assertThat(c.output().incremental()).isFalse();
  }

  @Test
  void quarantineRatioIsAShare() {
    assertThat(JobOptions.parse(with("--max-quarantine-ratio", "0")).input().maxQuarantineRatio())
        .isZero();
    assertThat(JobOptions.parse(with("--max-quarantine-ratio", "1")).input().maxQuarantineRatio())
        .isEqualTo(1.0);
    assertThatThrownBy(() -> JobOptions.parse(with("--max-quarantine-ratio", "1.5")))
        .hasMessage("Cannot use --max-quarantine-ratio: '1.5' must be between 0 and 1");
    assertThatThrownBy(() -> JobOptions.parse(with("--max-quarantine-ratio", "NaN")))
        .hasMessage("Cannot use --max-quarantine-ratio: 'NaN' must be between 0 and 1");
    assertThatThrownBy(() -> JobOptions.parse(with("--max-quarantine-ratio", "half")))
        .hasMessage("Cannot use --max-quarantine-ratio: 'half' is not a number");
  }

  @Test
  void incrementalIsAFlagWithOrWithoutAValue(@TempDir Path dir) throws IOException {
    assertThat(JobOptions.parse(with("--incremental")).output().incremental()).isTrue();
    assertThat(JobOptions.parse(with("--incremental", "--run-id", "r1")).output().incremental())
        .isTrue();
    assertThat(JobOptions.parse(with("--incremental", "false")).output().incremental()).isFalse();
    assertThat(JobOptions.parse(with("--incremental=true")).output().incremental()).isTrue();
    assertThatThrownBy(() -> JobOptions.parse(with("--incremental", "yes")))
        .hasMessage("Cannot use --incremental: 'yes' must be true or false");
    Path yaml =
        Files.writeString(dir.resolve("c.yaml"), "incremental: true\nmax-quarantine-ratio: 0.25\n");
    JobConfig fromFile = JobOptions.parse(with("--config", yaml.toString()));
    assertThat(fromFile.output().incremental()).isTrue();
    assertThat(fromFile.input().maxQuarantineRatio()).isEqualTo(0.25);
  }

  @Test
  void unknownMethodNamesTheKnownOnes() {
    assertThatThrownBy(() -> JobOptions.parse(with("--methods", "gradient,gradcm")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot use --methods: unknown method 'gradcm'; known: "
                + String.join(", ", org.sparksaliency.job.method.MethodRegistry.names()));
  }

  @Test
  void rolloutOptionsDefaultToMeanFusionWithoutDiscard() {
    JobConfig c = JobOptions.parse(REQUIRED);
    assertThat(c.explain().methodOptions()).isEqualTo(MethodOptions.DEFAULTS);
    assertThat(c.explain().methodOptions().get(AttentionRolloutMethod.HEAD_FUSION))
        .isEqualTo(HeadFusion.MEAN);
    assertThat(c.explain().methodOptions().get(Rollout.DISCARD)).isZero();
    JobConfig max =
        JobOptions.parse(
            with(
                "--methods",
                "attention_rollout,grad_rollout",
                "--rollout-head-fusion",
                "max",
                "--rollout-discard",
                "0.9"));
    assertThat(max.explain().methods()).containsExactly("attention_rollout", "grad_rollout");
    assertThat(max.explain().methodOptions())
        .isEqualTo(
            MethodOptions.DEFAULTS
                .with(AttentionRolloutMethod.HEAD_FUSION, HeadFusion.MAX)
                .with(Rollout.DISCARD, 0.9));
  }

  @Test
  void rolloutOptionsAreChecked() {
    assertThatThrownBy(() -> JobOptions.parse(with("--rollout-head-fusion", "min")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot use --rollout-head-fusion: unknown fusion 'min'; known: mean, max");
    assertThatThrownBy(() -> JobOptions.parse(with("--rollout-discard", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot use --rollout-discard: '1' must be at least 0 and below 1");
    assertThatThrownBy(() -> JobOptions.parse(with("--rollout-discard", "-0.1")))
        .hasMessage("Cannot use --rollout-discard: '-0.1' must be at least 0 and below 1");
    assertThatThrownBy(() -> JobOptions.parse(with("--rollout-discard", "most")))
        .hasMessage("Cannot use --rollout-discard: 'most' is not a number");
    assertThatThrownBy(() -> JobOptions.parse(with("--rollout-discard", "NaN")))
        .hasMessage("Cannot use --rollout-discard: 'NaN' must be at least 0 and below 1");
  }

  @Test
  void numbersAreRangeChecked() {
    assertThatThrownBy(() -> JobOptions.parse(with("--image-size", "0")))
        .hasMessage("Cannot use --image-size: '0' must be between 8 and 4096");
    assertThatThrownBy(() -> JobOptions.parse(with("--batch-size", "many")))
        .hasMessage("Cannot use --batch-size: 'many' is not a whole number");
    assertThatThrownBy(() -> JobOptions.parse(with("--std", "0.2,0,0.2")))
        .hasMessage("Cannot use --std: '0.2,0,0.2' must hold positive finite numbers");
    assertThatThrownBy(() -> JobOptions.parse(with("--mean", "0.5,0.5")))
        .hasMessage("Cannot use --mean: '0.5,0.5' must be three comma-separated numbers (R,G,B)");
  }

  @Test
  void requiredOptionsAndUnknownOptionsAreNamed() {
    assertThatThrownBy(() -> JobOptions.parse("--input", "x", "--output", "y"))
        .hasMessage("Cannot use --model: it is required (TorchScript model file URI)");
    assertThatThrownBy(() -> JobOptions.parse(with("--bach-size", "3")))
        .hasMessageStartingWith("Cannot use --bach-size: unknown option; known: config, input,");
  }

  @Test
  void aBadGlobIsNamedBeforeAnyListing() {
    assertThatThrownBy(() -> JobOptions.parse(with("--input-glob", "*.{jpg,png")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Cannot use --input-glob: '*.{jpg,png' is not a glob (");
  }

  @Test
  void engineCheckIsFallbackUnlessStrictIsAsked() {
    assertThat(JobOptions.parse(with()).model().engineCheck()).isEqualTo(EngineCheckMode.FALLBACK);
    assertThat(JobOptions.parse(with("--engine-check", "strict")).model().engineCheck())
        .isEqualTo(EngineCheckMode.STRICT);
    assertThatThrownBy(() -> JobOptions.parse(with("--engine-check", "off")))
        .hasMessage("Cannot use --engine-check: unknown mode 'off'; known: fallback, strict");
  }

  @Test
  void targetLabelNeedsAManifest() {
    assertThatThrownBy(() -> JobOptions.parse(with("--target", "label")))
        .hasMessage("Cannot use --target: 'label' needs --manifest with a label per image");
    assertThatThrownBy(() -> JobOptions.parse(with("--target", "best")))
        .hasMessage(
            "Cannot use --target: unknown target 'best'; known: predicted, label, top:K, class:C1,C2,...");
  }

  @Test
  void shaMustBeHex() {
    assertThatThrownBy(() -> JobOptions.parse(with("--model-sha256", "abc")))
        .hasMessage("Cannot use --model-sha256: 'abc' is not 64 hex digits");
  }

  @Test
  void flagsOverrideTheConfigFile(@TempDir Path dir) throws IOException {
    Path yaml = dir.resolve("c.yaml");
    Files.writeString(
        yaml,
        "input: a/\nmodel: m.pt\noutput: o/\nmethods: [gradcam]\nimage-size: 128\nmean: [0.5, 0.5, 0.5]\n");
    JobConfig c = JobOptions.parse("--config", yaml.toString(), "--image-size", "96");
    assertThat(c.explain().methods()).isEqualTo(List.of("gradcam"));
    assertThat(c.explain().imageSize()).isEqualTo(96);
    assertThat(c.explain().mean()).containsExactly(0.5f, 0.5f, 0.5f);
    assertThat(c.input().input()).isEqualTo("a/");
  }

  @Test
  void configFileKeysAreCheckedAndNeverInstantiated(@TempDir Path dir) throws IOException {
    Path unknown = dir.resolve("u.yaml");
    Files.writeString(unknown, "input: a/\nbatchsize: 3\n");
    assertThatThrownBy(() -> JobOptions.parse("--config", unknown.toString()))
        .hasMessageStartingWith("Cannot use --batchsize: unknown option; known:");
    Path tagged = dir.resolve("t.yaml");
    Files.writeString(tagged, "input: !!java.io.File [\"/etc\"]\n");
    assertThatThrownBy(() -> JobOptions.parse("--config", tagged.toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Cannot use --config: '" + tagged + "' is not valid YAML");
  }
}
