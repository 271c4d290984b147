package org.sparksaliency.job.method;

import java.io.Serializable;
import java.util.Objects;

/**
 * Settings of the methods that take any, validated on the driver and shipped to executors.
 *
 * @param rolloutHeadFusion how {@code attention_rollout} merges the heads of a layer
 * @param rolloutDiscard share (0 ≤ d &lt; 1) of the lowest fused attention values of each layer that the
 *     rollout methods set to zero before adding the identity
 */
public record MethodOptions(HeadFusion rolloutHeadFusion, double rolloutDiscard) implements Serializable {
  /** The documented defaults of every option. */
  public static final MethodOptions DEFAULTS = new MethodOptions(HeadFusion.MEAN, 0.0);

  public MethodOptions {
    Objects.requireNonNull(rolloutHeadFusion, "rolloutHeadFusion is null");
    if (!(rolloutDiscard >= 0 && rolloutDiscard < 1)) {
      throw new IllegalArgumentException(
          "Cannot discard a share of " + rolloutDiscard + " of the attention: it must be at least 0 and below 1");
    }
  }
}
