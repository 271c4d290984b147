package org.sparksaliency.job.model;

/**
 * The one line that says what went wrong in a libtorch error. TorchScript errors arrive as a
 * traceback of the serialized code ending in the Python-style error line ({@code RuntimeError: mat1
 * and mat2 shapes cannot be multiplied (1x3072 and 768x3)}); that last line is the cause.
 */
public final class TorchErrors {
  private TorchErrors() {}

  /** The cause line of {@code e}'s message (or of its innermost cause with a message). */
  public static String cause(Throwable e) {
    String message = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    String[] lines = message.strip().split("\\R");
    for (int i = lines.length - 1; i >= 0; i--) {
      String line = lines[i].strip();
      if (line.matches("[A-Za-z_.]*(Error|Exception): .*")) {
        return line;
      }
    }
    return lines[0].strip();
  }
}
