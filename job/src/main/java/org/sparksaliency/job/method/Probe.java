package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import org.sparksaliency.job.model.TorchModel;

/**
 * What the model computes for one micro-batch of samples; see {@link Probes} for the shared ones.
 */
@FunctionalInterface
public interface Probe {

  /**
   * Runs on the model owner thread. Arrays it creates must live in the manager of {@code samples},
   * a scope the scheduler closes after copying the result out.
   *
   * @param samples normalised inputs, shape [m, 3, S, S]
   * @param targets the class to explain for each of the m samples
   */
  ProbeResult run(TorchModel model, NDArray samples, int[] targets);

  /**
   * As {@link #run(TorchModel, NDArray, int[])}, knowing which rows hold the same input ({@link
   * SharedInputs}): a probe that can serve several targets from one model pass overrides this; the
   * others run every row.
   */
  default ProbeResult run(TorchModel model, NDArray samples, int[] targets, SharedInputs shared) {
    return run(model, samples, targets);
  }
}
