package org.sparksaliency.job.config;

import java.io.Serializable;
import java.util.Optional;

/**
 * The whole validated configuration of one run. Built only by {@link JobOptions}, so every instance has
 * passed validation.
 *
 * @param master Spark master to use when not launched by spark-submit
 */
public record JobConfig(
    InputConfig input,
    ModelConfig model,
    ExplainConfig explain,
    OutputConfig output,
    Optional<String> master)
    implements Serializable {

  /** What explaining the listed images needs, without where they are listed and written. */
  public DatasetConfig dataset() {
    return new DatasetConfig(
        model, explain, input.labels(), input.maxFileBytes(), input.maxPixels(), output.runId(), output.partitions());
  }
}
