package org.sparksaliency.job.model;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How libtorch's OpenMP threads wait between parallel regions, as this process's environment sets
 * it ({@code OMP_WAIT_POLICY}, read once by libgomp when libtorch loads). Unset, libgomp spins for
 * up to ~300,000 iterations after every region: on an executor whose task threads decode images on
 * the same cores, the spinning workers take those cores, and a preempted worker stalls the next op.
 * {@code bin/saliency} and the deploy files set {@code PASSIVE}; docs/benchmarks.md measures the
 * difference.
 */
final class OpenMpWait {
  private static final Logger LOG = LoggerFactory.getLogger(OpenMpWait.class);
  static final String VARIABLE = "OMP_WAIT_POLICY";

  private OpenMpWait() {}

  /** The policy as set, upper-cased, or "unset". */
  static String policy() {
    String v = System.getenv(VARIABLE);
    return v == null || v.isBlank() ? "unset" : v.trim().toUpperCase(Locale.ROOT);
  }

  /** Logs a warning once per model load when model work on the CPU runs with spinning workers. */
  static void check(String device) {
    String policy = policy();
    if (device.startsWith("cpu") && !policy.equals("PASSIVE")) {
      LOG.warn(
          "{} is {} on this executor: libtorch's OpenMP threads spin between ops on the cores the"
              + " task threads decode on, which slowed the model owner several times in"
              + " docs/benchmarks.md; set spark.executorEnv.{}=PASSIVE (bin/saliency and deploy/ do)",
          VARIABLE,
          policy,
          VARIABLE);
    }
  }
}
