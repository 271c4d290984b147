package org.sparksaliency.job.config;

import org.sparksaliency.job.method.ExplainConfig;

import java.io.Serializable;
import java.util.Optional;

/**
 * The whole validated configuration of one run. Built only by {@link JobOptions}, so every instance has
 * passed validation.
 *
 * @param master Spark master to use when not launched by spark-submit
 * @param report the HTML report ({@code --report})
 * @param progress the progress lines printed while images are explained
 */
public record JobConfig(
    InputConfig input,
    ModelConfig model,
    ExplainConfig explain,
    OutputConfig output,
    Optional<String> master,
    ReportConfig report,
    ProgressConfig progress)
    implements Serializable {

  /** What explaining the listed images needs, without where they are listed and written. */
  public DatasetConfig dataset() {
    return new DatasetConfig(
        model, explain, input.labels(), input.maxFileBytes(), input.maxPixels(), output.runId(), output.partitions());
  }
}
