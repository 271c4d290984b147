package org.sparksaliency.job.config;

import java.io.Serializable;

/**
 * Progress lines the driver prints while the images are explained.
 *
 * @param quiet print none ({@code --quiet})
 * @param intervalSeconds at most one line per this many seconds ({@code --progress-interval})
 */
public record ProgressConfig(boolean quiet, int intervalSeconds) implements Serializable {}
