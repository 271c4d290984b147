package org.sparksaliency.job.config;

import java.io.Serializable;

/**
 * Where results go.
 *
 * @param output URI of the output folder: {@code heatmaps/}, {@code class_stats/}, {@code
 *     quarantine/}, each split into {@code run_id=<id>} folders, and {@code runs/<id>/run.json}
 * @param runId identifier of the run: names its tables' {@code run_id=<id>} folders and {@code
 *     runs/<id>/}
 * @param partitions number of Spark partitions for model work; 0 chooses from the file count
 * @param incremental keep the heatmaps already in the output for unchanged images and explain only
 *     the others, instead of replacing the tables
 */
public record OutputConfig(String output, String runId, int partitions, boolean incremental)
    implements Serializable {}
