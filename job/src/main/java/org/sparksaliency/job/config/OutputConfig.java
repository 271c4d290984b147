package org.sparksaliency.job.config;

import java.io.Serializable;

/**
 * Where results go.
 *
 * @param output URI of the output folder (heatmaps/, class_stats/, quarantine/, run.json)
 * @param runId identifier written into every row and run.json
 * @param partitions number of Spark partitions for model work; 0 chooses from the file count
 * @param incremental keep the heatmaps already in the output for unchanged images and explain only the
 *     others, instead of replacing the tables
 */
public record OutputConfig(String output, String runId, int partitions, boolean incremental)
    implements Serializable {}
