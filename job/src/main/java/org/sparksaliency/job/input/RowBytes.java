package org.sparksaliency.job.input;

import java.util.Objects;
import org.sparksaliency.job.image.QuarantineReason;

/** An input row's bytes as {@link ImageLoader#read} gives them, or why it has none. */
public sealed interface RowBytes {

  /** The bytes, within --max-file-bytes. */
  record Read(byte[] bytes) implements RowBytes {
    public Read {
      Objects.requireNonNull(bytes, "bytes is null");
    }
  }

  /**
   * No bytes: the row is quarantined.
   *
   * @param size the row's size as far as it is known (-1 when it is not)
   */
  record Unreadable(long size, QuarantineReason reason, String message) implements RowBytes {
    public Unreadable {
      Objects.requireNonNull(reason, "reason is null");
      Objects.requireNonNull(message, "message is null");
    }
  }
}
