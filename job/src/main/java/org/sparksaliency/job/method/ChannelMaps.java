package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;

/**
 * Reductions of per-channel values [.., 3, size, size] to one value per pixel, as engine ops on the
 * values' device.
 */
final class ChannelMaps {
  private ChannelMaps() {}

  /** max over channels of |v|: [m, 3, S, S] to [m, S, S], or [3, S, S] to [S, S]. */
  static NDArray maxAbs(NDArray v) {
    int axis = v.getShape().dimension() - 3;
    return v.abs().max(new int[] {axis});
  }

  /**
   * Sum over channels, keeping the sign, added in channel order (c0 + c1) + c2: [m, 3, S, S] to [m,
   * S, S], or [3, S, S] to [S, S].
   */
  static NDArray sum(NDArray v) {
    String lead = v.getShape().dimension() == 4 ? ":, " : "";
    return v.get(lead + "0").add(v.get(lead + "1")).add(v.get(lead + "2"));
  }
}
