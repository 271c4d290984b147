package org.sparksaliency.job.config;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;
import org.sparksaliency.job.model.Coalescing;
import org.sparksaliency.job.model.EngineCheckMode;

/**
 * The TorchScript model and how executors run it.
 *
 * @param model URI of the TorchScript file
 * @param sha256 optional expected sha-256 (hex) of the model file; a mismatch fails before any
 *     output
 * @param torchThreads intra-op threads of the model owner; 0 means the executor's cores
 * @param engineCheck what an executor does when its engine self-check fails (--engine-check)
 * @param coalescing whether the model owner merges concurrent tasks' batches (--coalesce)
 */
public record ModelConfig(
    String model,
    Optional<String> sha256,
    int torchThreads,
    EngineCheckMode engineCheck,
    Coalescing coalescing)
    implements Serializable {
  public ModelConfig {
    Objects.requireNonNull(engineCheck, "engineCheck is null");
    Objects.requireNonNull(coalescing, "coalescing is null");
  }

  /** With the default engine-check mode and coalescing. */
  public ModelConfig(String model, Optional<String> sha256, int torchThreads) {
    this(model, sha256, torchThreads, EngineCheckMode.FALLBACK, Coalescing.DEFAULT);
  }
}
