package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A probe's native result for a micro-batch of m samples.
 *
 * @param logits model output, shape [m, classes]; null for probes that give maps only
 * @param values further per-sample arrays, each with leading dimension m (for example input
 *     gradients)
 */
public record ProbeResult(NDArray logits, List<NDArray> values) {
  public ProbeResult {
    values = List.copyOf(values);
  }
}
