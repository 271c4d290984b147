package org.sparksaliency.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the wall clock of one {@code bin/saliency run} went, from its output lines, each stamped
 * with the seconds since the process started (the log's own timestamps have whole seconds only).
 * The phases run from one line the job logs to the next: start → "Listed" → "has sha-256" (driver
 * set-up) → the engine check on the first batch (model copy, load, warm-up, engine checks) →
 * "Explained N files" (the images) → "Wrote run.json" (quarantine, class_stats, run.json) → exit.
 */
final class JobLogTimeline {
  /** One output line and when it arrived. */
  record Line(double seconds, String text) {}

  /** The phases in order, their seconds, and the figures of the explain stage's lines. */
  record Phases(
      Map<String, Double> seconds,
      double total,
      double images,
      long files,
      double explainSeconds,
      double ownerBusy,
      double ownerPasses) {

    /** Everything but the images' own work: start, model load, table writes, exit. */
    double fixed() {
      return total - images;
    }
  }

  static final String START = "JVM + Spark start, listing";
  static final String DRIVER = "driver set-up (model sha-256, labels)";
  static final String MODEL = "model copy, load, warm-up, engine checks";
  static final String IMAGES = "images (read, decode, model, heatmaps written)";
  static final String TABLES = "table writes (quarantine, class_stats, run.json)";
  static final String EXIT = "summary, Spark stop, JVM exit";

  private static final Pattern EXPLAINED =
      Pattern.compile("Explained (\\d+) files and wrote heatmaps in ([0-9.]+) s");
  private static final Pattern OWNER =
      Pattern.compile(
          "Model owner: busy ([0-9.]+) s of the explain stage's [0-9.]+ s, ([0-9.]+) s");

  private JobLogTimeline() {}

  /** The phases of a run whose lines are {@code lines} and whose process ended at {@code exit}. */
  static Phases parse(List<Line> lines, double exit) {
    double listed = at(lines, "SaliencyJob: Listed ", t -> t.contains("SaliencyJob: Listed "));
    double sha = at(lines, "has sha-256", t -> t.contains(" has sha-256 "));
    double first =
        at(lines, "engine check 'first_batch'", t -> t.contains("engine check 'first_batch'"));
    Line explained = line(lines, "Explained N files", t -> EXPLAINED.matcher(t).find());
    double runJson = at(lines, "Wrote run.json", t -> t.contains("Wrote run.json in"));
    Map<String, Double> phases = new LinkedHashMap<>();
    phases.put(START, listed);
    phases.put(DRIVER, sha - listed);
    phases.put(MODEL, first - sha);
    phases.put(IMAGES, explained.seconds() - first);
    phases.put(TABLES, runJson - explained.seconds());
    phases.put(EXIT, exit - runJson);
    Matcher e = EXPLAINED.matcher(explained.text());
    e.find();
    Matcher o =
        OWNER.matcher(line(lines, "Model owner: busy", t -> OWNER.matcher(t).find()).text());
    o.find();
    return new Phases(
        phases,
        exit,
        explained.seconds() - first,
        Long.parseLong(e.group(1)),
        Double.parseDouble(e.group(2)),
        Double.parseDouble(o.group(1)),
        Double.parseDouble(o.group(2)));
  }

  private static double at(List<Line> lines, String what, Predicate<String> match) {
    return line(lines, what, match).seconds();
  }

  private static Line line(List<Line> lines, String what, Predicate<String> match) {
    for (Line l : lines) {
      if (match.test(l.text())) {
        return l;
      }
    }
    throw new IllegalStateException(
        "Cannot time the run: its output has no line with '" + what + "'");
  }
}
