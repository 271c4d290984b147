package org.sparksaliency.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bench-floor table: per model and method, the job's explain stage against the PyTorch peer and
 * the model owner's clocks; then the fixed cost of the sample run, and the machine with its load.
 */
final class FloorReport {
  /** One model and method: the job's stage and PyTorch's images per second (NaN: not run). */
  record Row(String model, String method, StageFigures job, double pytorch) {
    double ratio() {
      return job.imagesPerSecond() / pytorch;
    }
  }

  private final String machine;
  private final List<Row> rows = new ArrayList<>();
  private JobLogTimeline.Phases fixed;

  FloorReport(String machine) {
    this.machine = machine;
  }

  void add(Row row) {
    rows.add(row);
  }

  void fixedCost(JobLogTimeline.Phases phases) {
    this.fixed = phases;
  }

  String text(String loadBefore, String loadAfter) {
    StringBuilder sb = new StringBuilder();
    sb.append("machine: ").append(machine).append('\n');
    sb.append("load average (1, 5, 15 min): before ").append(loadBefore);
    sb.append(", after ").append(loadAfter).append('\n');
    sb.append(
        String.format(
            Locale.ROOT,
            "%-9s %-21s %6s %10s %14s %8s %11s %15s%n",
            "model",
            "method",
            "images",
            "job img/s",
            "PyTorch img/s",
            "ratio",
            "owner busy",
            "outside passes"));
    for (Row r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-9s %-21s %6d %10.2f %14s %8s %11s %15s%n",
              r.model(),
              r.method(),
              r.job().images(),
              r.job().imagesPerSecond(),
              Double.isNaN(r.pytorch()) ? "-" : String.format(Locale.ROOT, "%.2f", r.pytorch()),
              Double.isNaN(r.pytorch()) ? "-" : String.format(Locale.ROOT, "%.2fx", r.ratio()),
              percent(r.job().busyShare()),
              percent(r.job().outsidePassesShare())));
    }
    if (fixed != null) {
      sb.append(fixedText());
    }
    return sb.toString();
  }

  private String fixedText() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "fixed cost of bin/saliency run --config conf/sample.yaml (%d files; explain stage %.1f s,"
                + " owner busy %.1f s, %.1f s of it in model passes):%n",
            fixed.files(),
            fixed.explainSeconds(),
            fixed.ownerBusy(),
            fixed.ownerPasses()));
    for (Map.Entry<String, Double> e : fixed.seconds().entrySet()) {
      sb.append(String.format(Locale.ROOT, "  %-50s %7.1f s%n", e.getKey(), e.getValue()));
    }
    sb.append(String.format(Locale.ROOT, "  %-50s %7.1f s%n", "total wall time", fixed.total()));
    sb.append(
        String.format(Locale.ROOT, "  %-50s %7.1f s%n", "fixed (total - images)", fixed.fixed()));
    return sb.toString();
  }

  private static String percent(double share) {
    return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.0f %%", 100 * share);
  }
}
