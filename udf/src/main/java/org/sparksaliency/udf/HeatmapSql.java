package org.sparksaliency.udf;

import java.util.List;

/**
 * What each SQL function computes, whichever engine calls it: the Spark functions ({@code
 * org.sparksaliency.udf.spark.HeatmapFunctions}) and the Hive-compatible classes ({@code
 * org.sparksaliency.udf.hive}) only convert arguments and results and call these methods.
 *
 * <p>Every function takes a heatmap {@code h} as one struct with the fields {@link #FIELDS}, in
 * that order: the stored bytes and the columns that give them meaning, as in the heatmaps table.
 * Functions that weigh or rank cells use the magnitude |v| of the raw values, like the table's
 * statistics; images use the min-max normalised map.
 */
public final class HeatmapSql {
  public static final String DECODE = "heatmap_decode";
  public static final String RESIZE = "heatmap_resize";
  public static final String MASS_IN_BOX = "heatmap_mass_in_box";
  public static final String IOU = "heatmap_iou";
  public static final String PEAK = "heatmap_peak";
  public static final String PNG = "heatmap_png";
  public static final String OVERLAY = "heatmap_overlay";
  public static final String SIMILARITY = "heatmap_similarity";
  public static final String AVG = "heatmap_avg";

  /** Every SQL function, in the order docs/tables.md ("SQL functions") documents them. */
  public static final List<String> FUNCTIONS =
      List.of(DECODE, RESIZE, MASS_IN_BOX, IOU, PEAK, PNG, OVERLAY, SIMILARITY, AVG);

  /** Fields of the heatmap struct {@code h}, in order. */
  public static final List<String> FIELDS =
      List.of("heatmap", "heatmap_min", "heatmap_max", "heatmap_height", "heatmap_width");

  /**
   * The type of {@code h} in Spark's notation; what {@code struct(heatmap, ..., heatmap_width)}
   * gives.
   */
  public static final String H_TYPE =
      "struct<heatmap:binary,heatmap_min:float,heatmap_max:float,heatmap_height:int,heatmap_width:int>";

  /**
   * Largest side {@link #resize} makes: 4096 × 4096 cells are 16 MiB of bytes, enough for any
   * image.
   */
  public static final int MAX_SIDE = 4096;

  /** Colormap of {@link #overlay}: the usual one for saliency overlays. */
  public static final Colormap OVERLAY_COLORMAP = Colormap.JET;

  private HeatmapSql() {}

  /** The heatmap the five fields of {@code h} describe. */
  public static EncodedHeatmap heatmap(
      String function, byte[] bytes, double min, double max, double height, double width) {
    return new EncodedHeatmap(
        integer(function, "heatmap_height", height, 1, Integer.MAX_VALUE),
        integer(function, "heatmap_width", width, 1, Integer.MAX_VALUE),
        (float) min,
        (float) max,
        bytes);
  }

  /** {@code heatmap_decode(h)}: raw values, row-major. */
  public static float[] decode(EncodedHeatmap h) {
    return h.decode();
  }

  /**
   * {@code heatmap_resize(h, n)}: the map area-resampled to n × n and encoded again over its own
   * range.
   */
  public static EncodedHeatmap resize(EncodedHeatmap h, double n) {
    int side = integer(RESIZE, "n", n, 1, MAX_SIDE);
    float[] resampled = AreaResampler.resample(h.decode(), h.height(), h.width(), side, side);
    return HeatmapCodec.encode(resampled, side, side);
  }

  /** {@code heatmap_mass_in_box(h, x0, y0, x1, y1)}: share of the |v| mass inside the box. */
  public static double massInBox(EncodedHeatmap h, double x0, double y0, double x1, double y1) {
    requireBox(MASS_IN_BOX, x0, y0, x1, y1);
    return SaliencyStatistics.massInBox(h.decode(), h.height(), h.width(), x0, y0, x1, y1);
  }

  /**
   * {@code heatmap_iou(h, q, x0, y0, x1, y1)}: IoU of the box with the cells above the q-quantile.
   */
  public static double iou(EncodedHeatmap h, double q, double x0, double y0, double x1, double y1) {
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException(
          String.format("Cannot compute %s: q must be in [0, 1] (%s)", IOU, q));
    }
    requireBox(IOU, x0, y0, x1, y1);
    return BoxAgreement.iou(h.decode(), h.height(), h.width(), q, x0, y0, x1, y1);
  }

  /**
   * {@code heatmap_peak(h)}: centre of the cell with the largest |v| (the first in row-major order
   * on ties) as {x, y} in normalised [0, 1] image coordinates.
   */
  public static double[] peak(EncodedHeatmap h) {
    int peak = SaliencyStatistics.peakIndex(h.decode());
    return new double[] {
      (peak % h.width() + 0.5) / h.width(), (peak / h.width() + 0.5) / h.height()
    };
  }

  /** {@code heatmap_png(h, colormap)}: PNG with one pixel per cell, colormap 'viridis' or 'jet'. */
  public static byte[] png(EncodedHeatmap h, String colormap) {
    return HeatmapImages.png(h, Colormap.named(colormap));
  }

  /**
   * {@code heatmap_overlay(image_bytes, h, alpha)}: PNG of the image with the jet-coloured map
   * blended on.
   */
  public static byte[] overlay(byte[] image, EncodedHeatmap h, double alpha) {
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException(
          String.format("Cannot compute %s: alpha must be in [0, 1] (%s)", OVERLAY, alpha));
    }
    return HeatmapImages.overlay(image, h, alpha, OVERLAY_COLORMAP);
  }

  /** {@code heatmap_similarity(h1, h2)}: Spearman rank correlation; null when a map is constant. */
  public static Double similarity(EncodedHeatmap a, EncodedHeatmap b) {
    if (a.height() != b.height() || a.width() != b.width()) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot compute %s: the maps differ in size (%d x %d and %d x %d); bring one to the other's with %s",
              SIMILARITY, a.height(), a.width(), b.height(), b.width(), RESIZE));
    }
    double rho = RankCorrelation.spearman(a.decode(), b.decode());
    return Double.isNaN(rho) ? null : rho;
  }

  private static void requireBox(String function, double x0, double y0, double x1, double y1) {
    if (!Double.isFinite(x0 + y0 + x1 + y1) || x1 < x0 || y1 < y0) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot compute %s: the box must be finite with x0 <= x1 and y0 <= y1 (%s, %s, %s, %s)",
              function, x0, y0, x1, y1));
    }
  }

  private static int integer(String function, String name, double value, int min, int max) {
    if (value != Math.rint(value) || value < min || value > max) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot compute %s: %s must be an integer in [%d, %d] (%s)",
              function, name, min, max, value));
    }
    return (int) value;
  }
}
