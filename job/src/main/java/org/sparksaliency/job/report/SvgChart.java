package org.sparksaliency.job.report;

import static org.sparksaliency.job.report.Html.escape;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts for the report, drawn from numbers already collected: a line chart of mean ±
 * spread per series, and overlaid histograms. No script, no external resource; each series has a
 * colour of {@link #COLOURS} and an entry in the legend.
 */
final class SvgChart {
  /** One line: y(x) with a band y ± spread (no band where spread is null). */
  record Series(String name, double[] x, double[] y, double[] spread) {}

  /** One histogram: counts per bin of equal width over [lo, hi]. */
  record Bins(String name, long[] counts) {}

  private static final String[] COLOURS = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf"
  };
  private static final int W = 360;
  private static final int H = 220;
  private static final int LEFT = 46;
  private static final int RIGHT = 10;
  private static final int TOP = 24;
  private static final int BOTTOM = 38;

  private SvgChart() {}

  /** Lines of mean ± spread, y over [yMin, yMax], x over the series' range. */
  static String lines(String title, String xLabel, String yLabel, List<Series> series) {
    double x0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY;
    double y0 = 0;
    double y1 = 1e-9;
    for (Series s : series) {
      for (int i = 0; i < s.x().length; i++) {
        double spread = s.spread() == null ? 0 : s.spread()[i];
        x0 = Math.min(x0, s.x()[i]);
        x1 = Math.max(x1, s.x()[i]);
        y0 = Math.min(y0, s.y()[i] - spread);
        y1 = Math.max(y1, s.y()[i] + spread);
      }
    }
    Frame f = new Frame(x0, x1 > x0 ? x1 : x0 + 1, y0, y1);
    StringBuilder sb = open(title, xLabel, yLabel, f);
    for (int k = 0; k < series.size(); k++) {
      Series s = series.get(k);
      String colour = COLOURS[k % COLOURS.length];
      if (s.spread() != null) {
        StringBuilder band = new StringBuilder();
        for (int i = 0; i < s.x().length; i++) {
          band.append(point(f, s.x()[i], s.y()[i] + s.spread()[i]));
        }
        for (int i = s.x().length - 1; i >= 0; i--) {
          band.append(point(f, s.x()[i], s.y()[i] - s.spread()[i]));
        }
        sb.append("<polygon class=\"band\" fill=\"")
            .append(colour)
            .append("\" fill-opacity=\"0.18\" stroke=\"none\" points=\"")
            .append(band.toString().trim())
            .append("\"/>");
      }
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < s.x().length; i++) {
        line.append(point(f, s.x()[i], s.y()[i]));
      }
      sb.append("<polyline class=\"series\" fill=\"none\" stroke-width=\"2\" stroke=\"")
          .append(colour)
          .append("\" points=\"")
          .append(line.toString().trim())
          .append("\"><title>")
          .append(escape(s.name()))
          .append("</title></polyline>");
    }
    return close(sb, series.stream().map(Series::name).toList());
  }

  /** Overlaid step outlines of each histogram's counts over [lo, hi]. */
  static String histograms(String title, String xLabel, double lo, double hi, List<Bins> bins) {
    long max = 1;
    for (Bins b : bins) {
      for (long c : b.counts()) {
        max = Math.max(max, c);
      }
    }
    Frame f = new Frame(lo, hi > lo ? hi : lo + 1, 0, max);
    StringBuilder sb = open(title, xLabel, "heatmaps", f);
    for (int k = 0; k < bins.size(); k++) {
      long[] counts = bins.get(k).counts();
      double width = (f.x1 - f.x0) / counts.length;
      StringBuilder step = new StringBuilder(point(f, f.x0, 0));
      for (int i = 0; i < counts.length; i++) {
        step.append(point(f, f.x0 + i * width, counts[i]))
            .append(point(f, f.x0 + (i + 1) * width, counts[i]));
      }
      step.append(point(f, f.x1, 0));
      String colour = COLOURS[k % COLOURS.length];
      sb.append("<polygon class=\"series\" fill=\"")
          .append(colour)
          .append("\" fill-opacity=\"0.15\" stroke-width=\"1.5\" stroke=\"")
          .append(colour)
          .append("\" points=\"")
          .append(step.toString().trim())
          .append("\"><title>")
          .append(escape(bins.get(k).name()))
          .append("</title></polygon>");
    }
    return close(sb, bins.stream().map(Bins::name).toList());
  }

  /** The data ranges drawn into the plot area. */
  private record Frame(double x0, double x1, double y0, double y1) {
    double px(double x) {
      return LEFT + (x - x0) / (x1 - x0) * (W - LEFT - RIGHT);
    }

    double py(double y) {
      return H - BOTTOM - (y - y0) / (y1 - y0) * (H - TOP - BOTTOM);
    }
  }

  private static String point(Frame f, double x, double y) {
    return String.format(Locale.ROOT, "%.1f,%.1f ", f.px(x), f.py(y));
  }

  private static StringBuilder open(String title, String xLabel, String yLabel, Frame f) {
    StringBuilder sb = new StringBuilder();
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"")
        .append(W)
        .append("\" height=\"")
        .append(H + 18)
        .append("\" viewBox=\"0 0 ")
        .append(W)
        .append(' ')
        .append(H + 18)
        .append("\" role=\"img\" aria-label=\"")
        .append(escape(title))
        .append("\" font-family=\"sans-serif\" font-size=\"10\">");
    sb.append("<text x=\"")
        .append(W / 2)
        .append("\" y=\"14\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"600\">")
        .append(escape(title))
        .append("</text>");
    for (int i = 0; i <= 4; i++) {
      double y = f.y0 + i * (f.y1 - f.y0) / 4;
      double x = f.x0 + i * (f.x1 - f.x0) / 4;
      sb.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>"
                  + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>"
                  + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
              LEFT,
              W - RIGHT,
              f.py(y),
              f.py(y),
              LEFT - 4,
              f.py(y) + 3,
              tick(y),
              f.px(x),
              H - BOTTOM + 13,
              tick(x)));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>",
            LEFT,
            TOP,
            W - LEFT - RIGHT,
            H - TOP - BOTTOM));
    sb.append("<text x=\"")
        .append((LEFT + W - RIGHT) / 2)
        .append("\" y=\"")
        .append(H - BOTTOM + 27)
        .append("\" text-anchor=\"middle\">")
        .append(escape(xLabel))
        .append("</text><text transform=\"translate(11,")
        .append((TOP + H - BOTTOM) / 2)
        .append(") rotate(-90)\" text-anchor=\"middle\">")
        .append(escape(yLabel))
        .append("</text>");
    return sb;
  }

  private static String close(StringBuilder sb, List<String> names) {
    int x = LEFT;
    for (int k = 0; k < names.size(); k++) {
      String colour = COLOURS[k % COLOURS.length];
      sb.append(
              String.format(
                  Locale.ROOT,
                  "<g class=\"legend\"><rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                      + "<text x=\"%d\" y=\"%d\">",
                  x,
                  H + 4,
                  colour,
                  x + 13,
                  H + 13))
          .append(escape(names.get(k)))
          .append("</text></g>");
      x += 20 + 6 * names.get(k).length();
    }
    return sb.append("</svg>").toString();
  }

  private static String tick(double v) {
    double a = Math.abs(v);
    String format = a >= 100 || v == Math.rint(v) ? "%.0f" : a >= 10 ? "%.1f" : "%.2f";
    return String.format(Locale.ROOT, format, v);
  }
}
