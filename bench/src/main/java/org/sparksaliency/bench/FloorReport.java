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
  /**
   * One model and method: per round, the job's stage and right after it PyTorch's images per second
   * (NaN: not run).
   */
  record Row(String model, String method, List<StageFigures> jobs, List<Double> pytorch) {
    Row {
      jobs = List.copyOf(jobs);
      pytorch = List.copyOf(pytorch);
      if (jobs.isEmpty() || jobs.size() != pytorch.size()) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot report %s %s: %d job rounds, %d PyTorch rounds",
                model, method, jobs.size(), pytorch.size()));
      }
    }

    /** The round of median job images per second (its owner clocks are reported). */
    StageFigures job() {
      List<StageFigures> sorted = new ArrayList<>(jobs);
      sorted.sort(java.util.Comparator.comparingDouble(StageFigures::imagesPerSecond));
      return sorted.get((sorted.size() - 1) / 2);
    }

    double pytorchMedian() {
      return median(pytorch);
    }

    /** Per round, job / PyTorch. */
    List<Double> ratios() {
      List<Double> r = new ArrayList<>();
      for (int i = 0; i < jobs.size(); i++) {
        r.add(jobs.get(i).imagesPerSecond() / pytorch.get(i));
      }
      return r;
    }

    /** The median of the rounds' ratios. */
    double ratio() {
      return median(ratios());
    }
  }

  /** The median (the lower middle value of an even count). */
  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    java.util.Collections.sort(sorted);
    return sorted.get((sorted.size() - 1) / 2);
  }

  private final String machine;
  private final List<Row> rows = new ArrayList<>();
  private JobLogTimeline.Phases fixed;
  private double recordingSeconds = Double.NaN;

  FloorReport(String machine) {
    this.machine = machine;
  }

  void add(Row row) {
    rows.add(row);
  }

  void fixedCost(FixedCost.Measured measured) {
    this.fixed = measured.phases();
    this.recordingSeconds = measured.recordingSeconds();
  }

  String text(String loadBefore, String loadAfter) {
    StringBuilder sb = new StringBuilder();
    sb.append("machine: ").append(machine).append('\n');
    sb.append("job OMP_WAIT_POLICY=")
        .append(System.getenv().getOrDefault("OMP_WAIT_POLICY", "unset"))
        .append(
            "1".equals(System.getenv("SALIENCY_DEFAULT_OMP_WAIT_POLICY"))
                ? ", PyTorch peer: unset (PyTorch's default)"
                : ", PyTorch peer: the same")
        .append('\n');
    sb.append("job img/s and PyTorch img/s: medians over the rounds; ratio: the median round's");
    sb.append(" job / PyTorch, each round's pair run back to back\n");
    sb.append("load average (1, 5, 15 min): before ").append(loadBefore);
    sb.append(", after ").append(loadAfter).append('\n');
    sb.append(
        String.format(
            Locale.ROOT,
            "%-9s %-21s %6s %10s %14s %8s %15s %11s %15s%n",
            "model",
            "method",
            "images",
            "job img/s",
            "PyTorch img/s",
            "ratio",
            "ratio range",
            "owner busy",
            "outside passes"));
    for (Row r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-9s %-21s %6d %10.2f %14s %8s %15s %11s %15s%n",
              r.model(),
              r.method(),
              r.job().images(),
              r.job().imagesPerSecond(),
              Double.isNaN(r.pytorchMedian())
                  ? "-"
                  : String.format(Locale.ROOT, "%.2f", r.pytorchMedian()),
              Double.isNaN(r.pytorchMedian())
                  ? "-"
                  : String.format(Locale.ROOT, "%.2fx", r.ratio()),
              Double.isNaN(r.pytorchMedian()) ? "-" : range(r.ratios()),
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
    if (!Double.isNaN(recordingSeconds)) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  (not counted: a run before it recorded the class-data archive, as the first run"
                  + " after each build does: %.1f s in all)%n",
              recordingSeconds));
    }
    return sb.toString();
  }

  private static String range(List<Double> ratios) {
    return String.format(
        Locale.ROOT,
        "%.2f-%.2fx",
        java.util.Collections.min(ratios),
        java.util.Collections.max(ratios));
  }

  private static String percent(double share) {
    return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.0f %%", 100 * share);
  }
}
