package org.sparksaliency.job.run;

/**
 * An executor's engine self-check failed and the run must not go on (strict mode, or nothing
 * passes).
 */
public final class EngineCheckException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  EngineCheckException(String message) {
    super(message);
  }
}
