package org.sparksaliency.job.output;

/**
 * The run quarantined too many files; its tables and run.json are written, and {@link #summary()}
 * says what.
 */
public final class QuarantineRatioException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient RunSummary summary;

  QuarantineRatioException(RunSummary summary, String message) {
    super(message);
    this.summary = summary;
  }

  /** What the run wrote. */
  public RunSummary summary() {
    return summary;
  }
}
