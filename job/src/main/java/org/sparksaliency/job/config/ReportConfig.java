package org.sparksaliency.job.config;

import java.io.Serializable;
import java.util.Objects;
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

  public ReportConfig {
    Objects.requireNonNull(colormap, "colormap is null");
  }
}
