package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * Reductions of per-channel values [.., 3, size, size] to one value per pixel, as engine ops on the
 * values' device.
 */
final class ChannelMaps {
  private ChannelMaps() {}

  /**
   * max over channels of |v|: [m, 3, S, S] to [m, S, S], or [3, S, S] to [S, S]. Two elementwise
   * maxima of the channel planes, not a max along the channel axis: libtorch's max over an axis
   * also finds the indices and, along a non-innermost axis, took 7 ms for [16, 3, 224, 224] where
   * the maxima take well under one (the values are the same: a maximum rounds nothing, and both
   * give NaN where a channel is NaN).
   */
  static NDArray maxAbs(NDArray v) {
    NDArray a = v.abs();
    return NDArrays.maximum(NDArrays.maximum(channel(a, 0), channel(a, 1)), channel(a, 2));
  }

  /**
   * Sum over channels, keeping the sign, added in channel order (c0 + c1) + c2: [m, 3, S, S] to [m,
   * S, S], or [3, S, S] to [S, S].
   */
  static NDArray sum(NDArray v) {
    return channel(v, 0).add(channel(v, 1)).add(channel(v, 2));
  }

  /** Channel {@code c} of [m, 3, S, S] or [3, S, S] values, a view: [m, S, S] or [S, S]. */
  private static NDArray channel(NDArray v, int c) {
    return v.get((v.getShape().dimension() == 4 ? ":, " : "") + c);
  }
}
