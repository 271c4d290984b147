package org.sparksaliency.job.report;

import java.util.Locale;

/** Escaping and number formatting for the report's HTML. */
final class Html {
  private Html() {}

  /** Text safe inside an element or a double-quoted attribute. */
  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * A table cell's text for a value read from a table: numbers with 3 decimals, null as an en dash.
   */
  static String value(Object v) {
    if (v == null) {
      return "–";
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d) : String.valueOf(d);
    }
    if (v instanceof Boolean b) {
      return b ? "yes" : "no";
    }
    return String.valueOf(v);
  }
}
