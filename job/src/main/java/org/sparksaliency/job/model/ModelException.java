package org.sparksaliency.job.model;

/** The model cannot be used; the message names the model URI and the cause on one line. */
public final class ModelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelException(String uri, String reason, Throwable cause) {
    super("Cannot use model " + uri + ": " + reason, cause);
  }
}
