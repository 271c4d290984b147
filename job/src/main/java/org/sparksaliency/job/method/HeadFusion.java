package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.List;

/**
 * How attention rollout merges the heads of a layer into one matrix ({@code
 * --rollout-head-fusion}).
 */
public enum HeadFusion {
  /** The mean over heads (Abnar &amp; Zuidema 2020). */
  MEAN("mean"),
  /** The element-wise maximum over heads. */
  MAX("max");

  private final String code;

  HeadFusion(String code) {
    this.code = code;
  }

  /** The option value. */
  public String code() {
    return code;
  }

  /** Option values, in declaration order. */
  public static List<String> codes() {
    return Arrays.stream(values()).map(HeadFusion::code).toList();
  }

  /**
   * Fuses the head axis of stacked attention probabilities.
   *
   * @param attentions [layers, batch, heads, tokens, tokens]
   * @return [layers, batch, tokens, tokens]
   */
  NDArray fuse(NDArray attentions) {
    return this == MEAN ? attentions.mean(new int[] {2}) : attentions.max(new int[] {2});
  }
}
