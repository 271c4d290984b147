package org.sparksaliency.job.image;

import java.util.Locale;
import java.util.StringJoiner;
import javax.imageio.IIOException;

/**
 * How {@link ImageDecoder}'s failures read in the quarantine table: what was seen, and what went
 * wrong.
 */
final class DecodeMessages {
  private static final int SIGNATURE_BYTES = 8;

  private DecodeMessages() {}

  /** Names what was seen, so that a person can tell an HTML error page from a HEIC photo. */
  static String unrecognised(String otherFormat, byte[] bytes) {
    StringJoiner accepted = new StringJoiner(", ");
    for (ImageFormat f : ImageFormat.values()) {
      accepted.add(f.displayName());
    }
    String seen = "first bytes " + signature(bytes);
    if (otherFormat != null) {
      return String.format(
          "%s images are not accepted (accepted: %s); %s",
          otherFormat.toLowerCase(Locale.ROOT), accepted, seen);
    }
    return String.format("not a recognised image format (accepted: %s); %s", accepted, seen);
  }

  /**
   * The first bytes as hex, plus as text when they are printable ASCII (as in "<!DOCTYPE" or
   * "RIFF").
   */
  static String signature(byte[] bytes) {
    int n = Math.min(SIGNATURE_BYTES, bytes.length);
    StringBuilder hex = new StringBuilder();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int b = bytes[i] & 0xff;
      if (i > 0) {
        hex.append(' ');
      }
      hex.append(String.format("%02x", b));
      text.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
    }
    return hex + " \"" + text + "\"";
  }

  static String name(ImageFormat format) {
    return format == null ? "unknown" : format.displayName();
  }

  /**
   * The exception's message, and its root cause's when that says something more ("Unexpected end of
   * ZLIB...").
   */
  static String describe(Exception e) {
    String message = messageOf(e);
    Throwable root = e;
    // Bounded: a cause chain can, in principle, loop.
    for (int depth = 0; depth < 16 && root.getCause() != null && root.getCause() != root; depth++) {
      root = root.getCause();
    }
    if (root != e) {
      message += " (caused by " + messageOf(root) + ")";
    }
    return message;
  }

  private static String messageOf(Throwable t) {
    String message = t.getMessage();
    String type = t.getClass().getSimpleName();
    if (message == null || message.isBlank()) {
      return type;
    }
    // An IIOException's own name adds nothing; other types (EOFException, IndexOutOfBounds...) are
    // the story.
    return t instanceof IIOException ? message : type + ": " + message;
  }
}
