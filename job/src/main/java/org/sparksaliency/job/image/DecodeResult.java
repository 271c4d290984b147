package org.sparksaliency.job.image;

/**
 * The outcome of {@link ImageDecoder#decode(byte[])}: a model input or the reason there is none.
 * Sealed so that a {@code switch} over the two cases is exhaustive.
 */
public sealed interface DecodeResult permits DecodedImage, DecodeFailure {}
