package org.sparksaliency.job.config;

import java.io.Serializable;
import java.util.Optional;

/**
 * The TorchScript model and how executors run it.
 *
 * @param model URI of the TorchScript file
 * @param sha256 optional expected sha-256 (hex) of the model file; a mismatch fails before any output
 * @param torchThreads intra-op threads of the model owner; 0 means the executor's cores
 */
public record ModelConfig(String model, Optional<String> sha256, int torchThreads)
    implements Serializable {}
