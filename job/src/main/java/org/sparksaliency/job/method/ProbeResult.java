package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Objects;

/**
 * A probe's native result for a micro-batch of m samples.
 *
 * @param logits model output, shape [m, classes]
 * @param values further per-sample arrays, each with leading dimension m (for example input gradients)
 */
public record ProbeResult(NDArray logits, List<NDArray> values) {
  public ProbeResult {
    Objects.requireNonNull(logits, "logits is null");
    values = List.copyOf(values);
  }
}
