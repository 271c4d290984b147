package org.sparksaliency.job.model;

import java.util.Locale;

/** What an executor does when its engine self-check finds batched model passes untrustworthy. */
public enum EngineCheckMode {
  /** Continue with one sample per model pass (the configuration that passed), warning loudly. */
  FALLBACK,
  /** Fail the run. */
  STRICT;

  /** The option value, as --engine-check takes it. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode for an option value; fails naming the accepted values. */
  public static EngineCheckMode of(String code) {
    for (EngineCheckMode m : values()) {
      if (m.code().equals(code)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "Cannot use engine check mode '" + code + "': expected fallback or strict");
  }
}
