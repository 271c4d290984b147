package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import org.sparksaliency.job.model.TorchModel;

/**
 * Runs a probe on one micro-batch. The scheduler goes through this seam so that a test can stand
 * between it and the model (for example to raise the error libtorch raises when a device runs out
 * of memory).
 */
@FunctionalInterface
interface MicroBatchRunner {
  /** Runs the probe as it is. */
  MicroBatchRunner DIRECT = (model, probe, samples, targets) -> probe.run(model, samples, targets);

  ProbeResult run(TorchModel model, Probe probe, NDArray samples, int[] targets);
}
