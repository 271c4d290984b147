package org.sparksaliency.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The bench's figures: a table for people and the same figures as JSON. */
final class BenchReport {

  /**
   * One model and method.
   *
   * @param sweep images/s by batch size, model only
   * @param pytorch images/s of the PyTorch baseline at the best batch size, or NaN if not run
   * @param endToEnd images/s of the job's explain stage (read, decode, model, heatmaps written), or
   *     NaN
   * @param endToEndTotal images/s over the whole job (listing, tables, run.json included), or NaN
   */
  record MethodResult(
      String model,
      String method,
      double gflopPerImage,
      Map<Integer, Double> sweep,
      double pytorch,
      double endToEnd,
      double endToEndTotal) {

    int bestBatch() {
      return sweep.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    double imagesPerSecond() {
      return sweep.get(bestBatch());
    }

    double gflops() {
      return imagesPerSecond() * gflopPerImage;
    }
  }

  /** A lever measured against the baseline in the same run. */
  record Lever(String name, String model, String method, double baseline, double variant) {
    double ratio() {
      return variant / baseline;
    }
  }

  /** Resident memory after {@code images} images. */
  record MemorySample(long images, double rssMiB) {}

  private final String machine;
  private final int threads;
  private final double derivedPeak;
  private final double attainablePeak;
  private final List<MethodResult> results = new ArrayList<>();
  private final List<Lever> levers = new ArrayList<>();
  private final List<MemorySample> memory = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  BenchReport(String machine, int threads, double derivedPeak, double attainablePeak) {
    this.machine = machine;
    this.threads = threads;
    this.derivedPeak = derivedPeak;
    this.attainablePeak = attainablePeak;
  }

  void add(MethodResult r) {
    results.add(r);
  }

  void add(Lever l) {
    levers.add(l);
  }

  void add(MemorySample s) {
    memory.add(s);
  }

  void note(String n) {
    notes.add(n);
  }

  List<MethodResult> results() {
    return results;
  }

  String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "machine: %s%n", machine));
    sb.append(
        String.format(
            Locale.ROOT,
            "peak fp32 with %d threads: derived %.1f GFLOP/s, attainable (matmul through DJL) %.1f GFLOP/s%n%n",
            threads,
            derivedPeak,
            attainablePeak));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-9s %-21s %5s %9s %8s %7s %7s %9s %7s %9s %9s%n",
            "model",
            "method",
            "batch",
            "images/s",
            "GFLOP/s",
            "%peak",
            "%attain",
            "pytorch/s",
            "java/pt",
            "e2e img/s",
            "overhead"));
    for (MethodResult r : results) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-9s %-21s %5d %9.2f %8.1f %6.1f%% %6.1f%% %9s %7s %9s %9s%n",
              r.model(),
              r.method(),
              r.bestBatch(),
              r.imagesPerSecond(),
              r.gflops(),
              100 * r.gflops() / derivedPeak,
              100 * r.gflops() / attainablePeak,
              num(r.pytorch(), "%.2f"),
              num(r.imagesPerSecond() / r.pytorch(), "%.2fx"),
              num(r.endToEnd(), "%.2f"),
              num(r.imagesPerSecond() / r.endToEnd(), "%.2fx")));
    }
    if (!levers.isEmpty()) {
      sb.append(String.format(Locale.ROOT, "%nlevers (images/s, same run):%n"));
      for (Lever l : levers) {
        sb.append(
            String.format(
                Locale.ROOT,
                "  %-44s %-9s %-21s %8.2f -> %8.2f  (%.2fx)%n",
                l.name(),
                l.model(),
                l.method(),
                l.baseline(),
                l.variant(),
                l.ratio()));
      }
    }
    if (!memory.isEmpty()) {
      sb.append(String.format(Locale.ROOT, "%nresident memory (MiB) by images explained:%n "));
      for (MemorySample s : memory) {
        sb.append(String.format(Locale.ROOT, " %d:%.0f", s.images(), s.rssMiB()));
      }
      sb.append(System.lineSeparator());
    }
    for (String n : notes) {
      sb.append("note: ").append(n).append(System.lineSeparator());
    }
    return sb.toString();
  }

  String json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("machine", machine);
    root.put("threads", threads);
    root.put("derived_peak_gflops", derivedPeak);
    root.put("attainable_peak_gflops", attainablePeak);
    List<Map<String, Object>> rs = new ArrayList<>();
    for (MethodResult r : results) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model", r.model());
      m.put("method", r.method());
      m.put("gflop_per_image", r.gflopPerImage());
      Map<String, Double> sweep = new LinkedHashMap<>();
      r.sweep().forEach((b, v) -> sweep.put(String.valueOf(b), v));
      m.put("images_per_second_by_batch", sweep);
      m.put("best_batch", r.bestBatch());
      m.put("images_per_second", r.imagesPerSecond());
      m.put("gflops", r.gflops());
      m.put("share_of_derived_peak", r.gflops() / derivedPeak);
      m.put("share_of_attainable_peak", r.gflops() / attainablePeak);
      m.put("pytorch_images_per_second", orNull(r.pytorch()));
      m.put("java_over_pytorch", orNull(r.imagesPerSecond() / r.pytorch()));
      m.put("end_to_end_images_per_second", orNull(r.endToEnd()));
      m.put("end_to_end_total_images_per_second", orNull(r.endToEndTotal()));
      m.put("overhead_model_only_over_end_to_end", orNull(r.imagesPerSecond() / r.endToEnd()));
      rs.add(m);
    }
    root.put("results", rs);
    List<Map<String, Object>> ls = new ArrayList<>();
    for (Lever l : levers) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("lever", l.name());
      m.put("model", l.model());
      m.put("method", l.method());
      m.put("baseline_images_per_second", l.baseline());
      m.put("variant_images_per_second", l.variant());
      m.put("ratio", l.ratio());
      ls.add(m);
    }
    root.put("levers", ls);
    List<Map<String, Object>> ms = new ArrayList<>();
    for (MemorySample s : memory) {
      ms.add(Map.of("images", s.images(), "rss_mib", s.rssMiB()));
    }
    root.put("memory", ms);
    root.put("notes", notes);
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "Cannot write the bench report as JSON: " + e.getMessage(), e);
    }
  }

  private static Double orNull(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static String num(double v, String format) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "-";
  }
}
