package org.sparksaliency.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.option.ConfigException;

/**
 * The options of a Dataset explained from code: the command line's, checked alike, minus listing
 * and writing.
 */
class DatasetConfigTest {

  @Test
  void theCommandLinesConfigAndTheSameOptionsGiveTheSameDatasetConfig() {
    JobConfig job =
        JobOptions.parse(
            "--input",
            "in/",
            "--output",
            "out/",
            "--model",
            "m.pt",
            "--labels",
            "l.txt",
            "--methods",
            "gradcam",
            "--image-size",
            "96",
            "--mean",
            "0.5,0.5,0.5",
            "--partitions",
            "3",
            "--run-id",
            "r1");
    DatasetConfig code =
        JobOptions.buildDataset(
            Map.of(
                "model",
                "m.pt",
                "labels",
                "l.txt",
                "methods",
                "gradcam",
                "image-size",
                "96",
                "mean",
                "0.5,0.5,0.5",
                "partitions",
                "3",
                "run-id",
                "r1"));
    assertThat(code).usingRecursiveComparison().isEqualTo(job.dataset());
    assertThat(code.withPartitions(0).partitions()).isZero();
    assertThat(code.explain().std()).containsExactly(0.229f, 0.224f, 0.225f);
  }

  @Test
  void onlyTheModelIsRequired() {
    assertThatThrownBy(() -> JobOptions.buildDataset(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot use --model: it is required (TorchScript model file URI)");
    assertThat(JobOptions.buildDataset(Map.of("model", "m.pt")).partitions()).isZero();
  }

  @Test
  void listingAndWritingOptionsDoNotApply() {
    assertThatThrownBy(() -> JobOptions.buildDataset(Map.of("model", "m.pt", "output", "out/")))
        .hasMessage("Cannot use --output: it does not apply to a Dataset explained from code");
  }

  @Test
  void errorsCanNameTheParameterInsteadOfTheFlag() {
    ConfigException e =
        (ConfigException)
            catchThrowable(
                () -> JobOptions.buildDataset(Map.of("model", "m.pt", "micro-batch-size", "0")));
    assertThat(e.option()).contains("micro-batch-size");
    assertThat(e.getMessage())
        .isEqualTo("Cannot use --micro-batch-size: '0' must be between 1 and 65536");
    assertThat(e.forParameter("microBatchSize").getMessage())
        .isEqualTo("Cannot use microBatchSize: '0' must be between 1 and 65536");
    assertThat(new ConfigException("Cannot run: x").forParameter("y").getMessage())
        .isEqualTo("Cannot run: x");
  }
}
