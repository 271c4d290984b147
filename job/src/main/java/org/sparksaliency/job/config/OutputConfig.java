package org.sparksaliency.job.config;

import java.io.Serializable;

/**
 * Where results go.
 *
 * @param output URI of the output folder (heatmaps/, class_stats/, quarantine/, run.json)
 * @param runId identifier written into every row and run.json
 * @param partitions number of Spark partitions for model work; 0 chooses from the file count
 */
public record OutputConfig(String output, String runId, int partitions) implements Serializable {}
