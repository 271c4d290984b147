package org.sparksaliency.job.summary;

import java.io.Serializable;

/**
 * An object box in pixels of the original image: x0, y0 top-left (inclusive), x1, y1 bottom-right.
 */
public record Box(double x0, double y0, double x1, double y1) implements Serializable {
  /** Pointing-game tolerance in original-image pixels (Zhang et al. 2016). */
  public static final double POINTING_TOLERANCE = 15;

  public boolean containsWithTolerance(double x, double y) {
    return x >= x0 - POINTING_TOLERANCE
        && x <= x1 + POINTING_TOLERANCE
        && y >= y0 - POINTING_TOLERANCE
        && y <= y1 + POINTING_TOLERANCE;
  }
}
