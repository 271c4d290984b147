package org.sparksaliency.udf;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Colour scales for rendering heatmaps: a value {@code t} in [0, 1] becomes an sRGB colour.
 *
 * <p>{@link #VIRIDIS} interpolates linearly between 33 stops sampled at {@code t = k / 32} from
 * matplotlib's 256-entry viridis table ({@code _viridis_data} in {@code matplotlib/_cm_listed.py},
 * van der Walt and Smith, CC0); it stays within 2/255 of the full table on every channel. {@link
 * #JET} is MATLAB's jet in its usual piecewise-linear form: {@code r = clamp(1.5 - |4t - 3|)},
 * {@code g = clamp(1.5 - |4t - 2|)}, {@code b = clamp(1.5 - |4t - 1|)}, from dark blue (0, 0, 0.5)
 * through green to dark red (0.5, 0, 0).
 */
public enum Colormap {
  VIRIDIS {
    @Override
    double[] colour(double t) {
      double x = t * (VIRIDIS_STOPS.length - 1);
      int i = Math.min((int) x, VIRIDIS_STOPS.length - 2);
      double f = x - i;
      double[] a = VIRIDIS_STOPS[i];
      double[] b = VIRIDIS_STOPS[i + 1];
      return new double[] {
        a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])
      };
    }
  },
  JET {
    @Override
    double[] colour(double t) {
      return new double[] {ramp(4 * t - 3), ramp(4 * t - 2), ramp(4 * t - 1)};
    }
  };

  // r, g, b in [0, 1] at t = k / 32.
  private static final double[][] VIRIDIS_STOPS = {
    {0.2670, 0.0049, 0.3294}, // 0/32
    {0.2770, 0.0502, 0.3755}, // 1/32
    {0.2823, 0.0946, 0.4170}, // 2/32
    {0.2829, 0.1354, 0.4530}, // 3/32
    {0.2789, 0.1749, 0.4830}, // 4/32
    {0.2708, 0.2133, 0.5066}, // 5/32
    {0.2593, 0.2507, 0.5244}, // 6/32
    {0.2454, 0.2867, 0.5370}, // 7/32
    {0.2302, 0.3213, 0.5455}, // 8/32
    {0.2148, 0.3545, 0.5510}, // 9/32
    {0.2000, 0.3864, 0.5545}, // 10/32
    {0.1861, 0.4173, 0.5567}, // 11/32
    {0.1733, 0.4474, 0.5579}, // 12/32
    {0.1613, 0.4770, 0.5581}, // 13/32
    {0.1497, 0.5064, 0.5573}, // 14/32
    {0.1384, 0.5358, 0.5551}, // 15/32
    {0.1281, 0.5651, 0.5509}, // 16/32
    {0.1209, 0.5945, 0.5442}, // 17/32
    {0.1203, 0.6238, 0.5343}, // 18/32
    {0.1310, 0.6529, 0.5208}, // 19/32
    {0.1554, 0.6815, 0.5032}, // 20/32
    {0.1930, 0.7096, 0.4812}, // 21/32
    {0.2415, 0.7366, 0.4545}, // 22/32
    {0.2986, 0.7624, 0.4230}, // 23/32
    {0.3629, 0.7867, 0.3866}, // 24/32
    {0.4330, 0.8091, 0.3453}, // 25/32
    {0.5081, 0.8292, 0.2992}, // 26/32
    {0.5873, 0.8470, 0.2489}, // 27/32
    {0.6694, 0.8622, 0.1954}, // 28/32
    {0.7529, 0.8751, 0.1427}, // 29/32
    {0.8359, 0.8861, 0.1025}, // 30/32
    {0.9166, 0.8961, 0.1008}, // 31/32
    {0.9932, 0.9062, 0.1439} // 32/32
  };

  /** The colour of {@code t} (clamped to [0, 1]) as packed 0xRRGGBB. */
  public int rgb(double t) {
    double[] c = colour(Double.isNaN(t) ? 0 : Math.max(0, Math.min(1, t)));
    return channel(c[0]) << 16 | channel(c[1]) << 8 | channel(c[2]);
  }

  /** The colormap called {@code name} (case-insensitive). */
  public static Colormap named(String name) {
    for (Colormap c : values()) {
      if (c.name().equalsIgnoreCase(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        String.format(
            "Cannot use colormap '%s': unknown; known: %s",
            name,
            Arrays.stream(values())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "))));
  }

  abstract double[] colour(double t);

  private static double ramp(double d) {
    return Math.max(0, Math.min(1, 1.5 - Math.abs(d)));
  }

  private static int channel(double v) {
    return (int) Math.round(v * 255);
  }
}
