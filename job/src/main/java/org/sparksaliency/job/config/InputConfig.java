package org.sparksaliency.job.config;

import java.io.Serializable;
import java.util.Optional;

/**
 * Where the images, labels and manifest come from: Hadoop filesystem URIs (local path, file:, s3a:,
 * hdfs:).
 *
 * @param input a folder (read recursively) or a glob of images
 * @param glob file-name glob that selects images inside the input
 * @param labels optional file with one class name per line, in class-index order
 * @param manifest optional CSV {@code path,label[,x0,y0,x1,y1]}, box in pixels of the original
 *     image
 * @param maxFileBytes files larger than this are quarantined as too_large without being read
 * @param maxPixels images whose header claims more pixels are quarantined as too_large without
 *     decoding
 * @param maxQuarantineRatio the run fails, after writing everything, when a larger share of the
 *     input files is quarantined
 */
public record InputConfig(
    String input,
    String glob,
    Optional<String> labels,
    Optional<String> manifest,
    long maxFileBytes,
    long maxPixels,
    double maxQuarantineRatio)
    implements Serializable {}
