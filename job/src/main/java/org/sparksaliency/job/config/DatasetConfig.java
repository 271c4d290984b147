package org.sparksaliency.job.config;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;
import org.sparksaliency.job.method.ExplainConfig;

/**
 * The validated configuration for explaining a Dataset of images that is already at hand:
 * everything of a {@link JobConfig} but where the files are listed and where the tables are
 * written. Built by {@link JobOptions#buildDataset} or derived from a {@link JobConfig} ({@link
 * JobConfig#dataset()}), so every instance has passed validation.
 *
 * @param labels optional URI of the class names file, one per line, in class-index order
 * @param maxFileBytes files larger than this are quarantined as too_large without being read
 * @param maxPixels images whose header (or pixel struct) claims more pixels are quarantined as
 *     too_large
 * @param runId identifier written into every row
 * @param partitions Spark partitions for model work; 0 keeps the Dataset's own partitioning
 */
public record DatasetConfig(
    ModelConfig model,
    ExplainConfig explain,
    Optional<String> labels,
    long maxFileBytes,
    long maxPixels,
    String runId,
    int partitions)
    implements Serializable {

  public DatasetConfig {
    Objects.requireNonNull(model, "model is null");
    Objects.requireNonNull(explain, "explain is null");
    Objects.requireNonNull(labels, "labels is null");
    Objects.requireNonNull(runId, "runId is null");
  }

  /**
   * The same configuration with another partition count (the job chooses one from the file count).
   */
  public DatasetConfig withPartitions(int count) {
    return new DatasetConfig(model, explain, labels, maxFileBytes, maxPixels, runId, count);
  }
}
