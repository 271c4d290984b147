package org.sparksaliency.job.report;

import static org.sparksaliency.job.report.Html.escape;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The report's {@code index.html} from data already collected: no script, no external resource,
 * images by relative path ({@code img/...}) next to it.
 */
final class ReportPage {
  /** A plain table: header cells and rows of text cells. */
  record Table(List<String> headers, List<List<String>> rows) {}

  /**
   * An image in the page.
   *
   * @param src path relative to index.html, or null when there is no image (then {@code note} says
   *     why)
   * @param width display width in CSS pixels
   * @param height display height in CSS pixels
   */
  record Picture(String src, int width, int height, String caption, String note) {}

  /** One method's row in a class's table. */
  record MethodRow(
      String method,
      List<String> stats,
      Picture meanHeatmap,
      List<Picture> top,
      List<Picture> worst) {}

  /**
   * A plot drawn as inline SVG ({@link SvgChart}).
   *
   * @param id the anchor of the figure in the page
   * @param svg the {@code <svg>} element, its text already escaped
   */
  record Figure(String id, String caption, String svg) {}

  /** One class: its rows, one per method. */
  record ClassSection(int targetClass, String name, List<MethodRow> rows) {}

  /**
   * Everything the page shows.
   *
   * @param facts the run's key figures (label → value), in order
   * @param classStatHeaders headers of the statistics in every {@link MethodRow#stats()}
   * @param classesShown how many of {@code classesTotal} classes have a section
   */
  record Content(
      String runId,
      Map<String, String> facts,
      String scoreDescription,
      int imagesPerClass,
      String colormap,
      Table methods,
      Optional<Table> sanity,
      List<Figure> plots,
      List<String> classStatHeaders,
      List<ClassSection> classes,
      long classesTotal,
      Table quarantine) {}

  private static final String CSS =
      "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px;color:#222;}"
          + "h1{font-size:22px;}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ccc;}"
          + "h3{font-size:15px;margin:18px 0 6px;}"
          + "table{border-collapse:collapse;margin:6px 0;}th,td{border:1px solid #ddd;padding:4px 8px;"
          + "vertical-align:top;text-align:left;font-size:13px;}th{background:#f3f3f3;}"
          + "td.num{text-align:right;font-variant-numeric:tabular-nums;}"
          + "figure{display:inline-block;margin:0 6px 4px 0;vertical-align:top;}"
          + "figure.overlay{width:"
          + HtmlReport.THUMBNAIL
          + "px;}"
          + "td.pics{white-space:nowrap;}figcaption{font-size:11px;color:#555;white-space:normal;word-break:break-all;}"
          + "figure.plot{width:360px;}img.mean{image-rendering:pixelated;}.note{color:#777;font-size:12px;}dl{display:grid;"
          + "grid-template-columns:max-content auto;gap:2px 12px;font-size:13px;}dt{font-weight:600;}dd{margin:0;}";

  private ReportPage() {}

  static String render(Content c) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>spark-saliency report: ")
        .append(escape(c.runId()))
        .append("</title>")
        .append("<style>")
        .append(CSS)
        .append("</style></head><body>\n");
    sb.append("<h1>spark-saliency report: run ").append(escape(c.runId())).append("</h1>\n<dl>");
    c.facts()
        .forEach(
            (k, v) ->
                sb.append("<dt>")
                    .append(escape(k))
                    .append("</dt><dd>")
                    .append(escape(v))
                    .append("</dd>"));
    sb.append("</dl>\n");

    sb.append("<h2 id=\"methods\">Methods</h2>\n");
    table(sb, c.methods());
    if (c.sanity().isPresent()) {
      sb.append("<h2 id=\"sanity\">Sanity check</h2>\n");
      table(sb, c.sanity().get());
    }

    if (!c.plots().isEmpty()) {
      sb.append("<h2 id=\"plots\">Plots</h2>\n");
      for (Figure f : c.plots()) {
        sb.append("<figure class=\"plot\" id=\"plot-")
            .append(escape(f.id()))
            .append("\">")
            .append(f.svg())
            .append("<figcaption>")
            .append(escape(f.caption()))
            .append("</figcaption></figure>\n");
      }
    }
    sb.append(
            "<h2 id=\"classes\">Classes</h2>\n<p class=\"note\">Per class explained and method: the mean of the ")
        .append("min-max normalised heatmaps, then the ")
        .append(c.imagesPerClass())
        .append(" top and ")
        .append(c.imagesPerClass())
        .append(" worst images by ")
        .append(escape(c.scoreDescription()))
        .append(", the heatmap blended on the image the model saw (")
        .append(escape(c.colormap()))
        .append(", alpha 0.5).");
    if (c.classes().size() < c.classesTotal()) {
      sb.append(" ")
          .append(c.classes().size())
          .append(" of ")
          .append(c.classesTotal())
          .append(" classes shown: those with the most heatmaps.");
    }
    sb.append("</p>\n");
    for (ClassSection s : c.classes()) {
      classSection(sb, s, c.classStatHeaders());
    }
    if (c.classes().isEmpty()) {
      sb.append("<p>No heatmaps in this run.</p>\n");
    }

    sb.append("<h2 id=\"quarantine\">Quarantine</h2>\n");
    if (c.quarantine().rows().isEmpty()) {
      sb.append("<p>No file was quarantined.</p>\n");
    } else {
      table(sb, c.quarantine());
    }
    sb.append("</body></html>\n");
    return sb.toString();
  }

  private static void classSection(StringBuilder sb, ClassSection s, List<String> statHeaders) {
    sb.append("<h3 id=\"class-")
        .append(s.targetClass())
        .append("\">")
        .append(escape(s.name() == null ? "class " + s.targetClass() : s.name()))
        .append(" <span class=\"note\">(class ")
        .append(s.targetClass())
        .append(")</span></h3>\n");
    sb.append("<table><tr><th>method</th>");
    statHeaders.forEach(h -> sb.append("<th>").append(escape(h)).append("</th>"));
    sb.append("<th>mean heatmap</th><th>top</th><th>worst</th></tr>\n");
    for (MethodRow r : s.rows()) {
      sb.append("<tr><td>").append(escape(r.method())).append("</td>");
      r.stats().forEach(v -> sb.append("<td class=\"num\">").append(escape(v)).append("</td>"));
      sb.append("<td>");
      picture(sb, r.meanHeatmap(), "mean");
      sb.append("</td><td class=\"pics\">");
      r.top().forEach(p -> picture(sb, p, "overlay"));
      sb.append("</td><td class=\"pics\">");
      r.worst().forEach(p -> picture(sb, p, "overlay"));
      if (r.worst().isEmpty()) {
        sb.append("<span class=\"note\">all shown under top</span>");
      }
      sb.append("</td></tr>\n");
    }
    sb.append("</table>\n");
  }

  private static void picture(StringBuilder sb, Picture p, String cssClass) {
    if (p == null) {
      sb.append("<span class=\"note\">none</span>");
      return;
    }
    sb.append("<figure class=\"").append(cssClass).append("\">");
    if (p.src() != null) {
      sb.append("<img class=\"")
          .append(cssClass)
          .append("\" src=\"")
          .append(escape(p.src()))
          .append("\" width=\"")
          .append(p.width())
          .append("\" height=\"")
          .append(p.height())
          .append("\" alt=\"")
          .append(escape(p.caption()))
          .append("\" title=\"")
          .append(escape(p.caption()))
          .append("\">");
    } else {
      sb.append("<span class=\"note\">").append(escape(p.note())).append("</span>");
    }
    if (p.caption() != null && !p.caption().isEmpty()) {
      sb.append("<figcaption>").append(escape(p.caption())).append("</figcaption>");
    }
    sb.append("</figure>");
  }

  private static void table(StringBuilder sb, Table t) {
    sb.append("<table><tr>");
    t.headers().forEach(h -> sb.append("<th>").append(escape(h)).append("</th>"));
    sb.append("</tr>\n");
    for (List<String> row : t.rows()) {
      sb.append("<tr>");
      row.forEach(v -> sb.append("<td>").append(escape(v)).append("</td>"));
      sb.append("</tr>\n");
    }
    sb.append("</table>\n");
  }
}
