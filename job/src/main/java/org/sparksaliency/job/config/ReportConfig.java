package org.sparksaliency.job.config;

import static org.sparksaliency.job.option.Option.Scope.RUN;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.option.OptionType;
import org.sparksaliency.udf.Colormap;

/**
 * The HTML report of a run ({@code --report}).
 *
 * @param enabled write {@code runs/<id>/report/index.html} after the tables
 * @param colormap how overlays and mean heatmaps are coloured
 * @param imagesPerClass how many top and how many worst images each (class, method) row shows
 * @param maxClasses most classes the report shows (those with the most heatmaps)
 */
public record ReportConfig(boolean enabled, Colormap colormap, int imagesPerClass, int maxClasses)
    implements Serializable {
  public static final Option<Boolean> REPORT =
      Option.of(
          "report",
          OptionType.bool(),
          "false",
          RUN,
          "also write runs/<run-id>/report/index.html, a self-contained HTML report");
  public static final Option<Colormap> REPORT_COLORMAP =
      Option.of(
          "report-colormap",
          OptionType.choice("colormap", c -> c.name().toLowerCase(Locale.ROOT), Colormap.values()),
          "viridis",
          RUN,
          "report overlays and mean heatmaps: viridis | jet");
  public static final Option<Integer> REPORT_IMAGES =
      Option.of(
          "report-images",
          OptionType.integer(1, 20),
          "3",
          RUN,
          "top and worst images the report shows per class and method");
  public static final Option<Integer> REPORT_CLASSES =
      Option.of(
          "report-classes",
          OptionType.integer(1, 1000),
          "50",
          RUN,
          "most classes the report shows (most heatmaps first)");

  public ReportConfig {
    Objects.requireNonNull(colormap, "colormap is null");
  }
}
