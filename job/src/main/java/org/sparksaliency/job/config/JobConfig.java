package org.sparksaliency.job.config;

import java.io.Serializable;
import java.util.Optional;
import org.sparksaliency.job.method.ExplainConfig;
import org.sparksaliency.job.option.Settings;

/**
 * The whole validated configuration of one run. Built only by {@link JobOptions}, so every instance
 * has passed validation.
 *
 * @param master Spark master to use when not launched by spark-submit
 * @param report the HTML report ({@code --report})
 * @param progress the progress lines printed while images are explained
 * @param settings every option of the run as validated, defaults included (run.json records them)
 */
public record JobConfig(
    InputConfig input,
    ModelConfig model,
    ExplainConfig explain,
    OutputConfig output,
    Optional<String> master,
    ReportConfig report,
    ProgressConfig progress,
    Settings settings)
    implements Serializable {

  /** What explaining the listed images needs, without where they are listed and written. */
  public DatasetConfig dataset() {
    return new DatasetConfig(
        model,
        explain,
        input.labels(),
        input.maxFileBytes(),
        input.maxPixels(),
        output.runId(),
        output.partitions());
  }
}
