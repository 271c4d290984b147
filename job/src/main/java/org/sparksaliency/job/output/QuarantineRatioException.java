package org.sparksaliency.job.output;

import org.sparksaliency.job.run.SaliencyJob;

/** The run quarantined too many files; its tables and run.json are written, and {@link #summary()} says what. */
public final class QuarantineRatioException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient SaliencyJob.Summary summary;

  QuarantineRatioException(SaliencyJob.Summary summary, String message) {
    super(message);
    this.summary = summary;
  }

  /** What the run wrote. */
  public SaliencyJob.Summary summary() {
    return summary;
  }
}
