package org.sparksaliency.job.image;

import java.util.Objects;

/**
 * A file that could not be turned into a model input.
 *
 * @param reason the quarantine category
 * @param message what was wrong, for a person reading the quarantine table
 */
public record DecodeFailure(QuarantineReason reason, String message) implements DecodeResult {
  /**
   * Validates the components.
   *
   * @param reason the quarantine category
   * @param message what was wrong
   * @throws NullPointerException if {@code reason} or {@code message} is null
   */
  public DecodeFailure {
    Objects.requireNonNull(reason, "Cannot create decode failure: reason is null");
    Objects.requireNonNull(message, "Cannot create decode failure: message is null");
  }
}
