package org.sparksaliency.job.image;

/**
 * A well-formed image whose pixel layout the decoder cannot turn into RGB (such as an unknown
 * colour space). Checked, so that it is kept apart from decoding errors and reported as {@link
 * QuarantineReason#UNSUPPORTED_FORMAT}.
 */
final class UnsupportedImageException extends Exception {
  private static final long serialVersionUID = 1L;

  UnsupportedImageException(String message) {
    super(message);
  }
}
