package org.sparksaliency.job.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparksaliency.job.image.Resize;
import org.sparksaliency.job.output.OutputWriter;

/**
 * The run as its run.json tells it, for the report: the facts at the top of the page, and the
 * methods in order.
 */
final class RunFacts {
  private final JsonNode run;
  private final String folder;

  private RunFacts(JsonNode run, String folder) {
    this.run = run;
    this.folder = folder;
  }

  /** The run.json of the run of {@code writer}; a report without one says so in its facts. */
  static RunFacts read(OutputWriter writer, Configuration conf) {
    Path p = new Path(writer.reportFolder(), "run.json");
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        return new RunFacts(null, writer.reportFolder());
      }
      try (InputStream in = fs.open(p)) {
        return new RunFacts(new ObjectMapper().readTree(in), writer.reportFolder());
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot build report: cannot read " + p + " (" + e.getMessage() + ")", e);
    }
  }

  /** Label to value, in the page's order. */
  Map<String, String> facts() {
    Map<String, String> f = new LinkedHashMap<>();
    if (run == null) {
      f.put("run.json", "not found in " + folder);
      return f;
    }
    JsonNode cfg = run.path("config");
    JsonNode counts = run.path("counts");
    f.put("model", cfg.path("model").asText());
    f.put("model sha-256", run.path("model_id").asText());
    f.put("input", cfg.path("input").asText());
    f.put("input files", counts.path("input_files").asText());
    f.put("quarantined files", counts.path("quarantined_files").asText());
    f.put("methods", String.join(", ", methodOrder()));
    f.put("target", cfg.path("target").asText());
    f.put(
        "image size / heatmap size",
        cfg.path("image_size").asText() + " / " + cfg.path("heatmap_size").asText());
    f.put("resize", resize(cfg));
    f.put(
        "run time",
        String.format(Locale.ROOT, "%.1f s", run.path("timings").path("total_seconds").asDouble()));
    return f;
  }

  /**
   * "squash", or "crop (shorter side 256)" with the size the job resolved; run.json from before
   * --resize existed has neither key: those runs squashed.
   */
  private static String resize(JsonNode cfg) {
    String mode = cfg.path("resize").asText("squash");
    if (!mode.equals("crop")) {
      return mode;
    }
    int size = cfg.path("resize_size").asInt(0);
    int imageSize = cfg.path("image_size").asInt();
    return "crop (shorter side " + (size == 0 ? Resize.defaultShorterSide(imageSize) : size) + ")";
  }

  /** The run's methods as configured (empty without run.json). */
  List<String> methodOrder() {
    List<String> out = new ArrayList<>();
    if (run != null) {
      run.path("config").path("methods").forEach(m -> out.add(m.asText()));
    }
    return out;
  }

  /** Where {@code method} stands in {@code order}; methods not in it come last. */
  static int rank(List<String> order, String method) {
    int i = order.indexOf(method);
    return i < 0 ? Integer.MAX_VALUE : i;
  }
}
