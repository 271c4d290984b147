package org.sparksaliency.job.input;

import org.sparksaliency.job.image.DecodedImage;

/**
 * An input row's image, ready for the model.
 *
 * @param imageId the sha-256 of the row's bytes (see {@link InputFiles#sha256})
 * @param size how many bytes the row had
 */
public record LoadedImage(ImageRow row, String imageId, long size, DecodedImage image) {}
