package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only engine faults, to show that the engine self-check catches a wrong engine and that the
 * job's fallback then gives right maps. {@link #NONE} outside tests.
 */
public enum EngineFault {
  /** The engine as it is. */
  NONE,
  /**
   * Passes of two or more samples give each sample the per-sample outputs (gradients, activations)
   * of its neighbour, as a defective batched kernel would; one-sample passes and all logits stay
   * right.
   */
  WRONG_BATCHED_GRADIENTS;

  MicroBatchRunner runner() {
    if (this == NONE) {
      return MicroBatchRunner.DIRECT;
    }
    return (model, probe, samples, targets) -> {
      ProbeResult r = probe.run(model, samples, targets);
      long m = samples.getShape().get(0);
      if (m < 2) {
        return r;
      }
      List<NDArray> rolled = new ArrayList<>(r.values().size());
      for (NDArray v : r.values()) {
        rolled.add(NDArrays.concat(new NDList(v.get("1:"), v.get(":1"))));
      }
      return new ProbeResult(r.logits(), rolled);
    };
  }
}
