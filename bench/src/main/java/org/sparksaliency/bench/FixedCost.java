package org.sparksaliency.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The job's fixed cost on a config: {@code bin/saliency run --config FILE --output DIR} as a child
 * process (a fresh JVM, as a user runs it), every line of its output stamped with the seconds since
 * the start, read into a {@link JobLogTimeline}. The first run after a build records the class-data
 * archive that {@code bin/saliency} maps into later runs (some seconds at exit, once per build):
 * such a run is not what a user's runs cost, so it is reported apart and the run is timed again.
 */
final class FixedCost {
  /** What {@code bin/saliency} prints when the run records the class-data archive. */
  static final String RECORDING = "this run also records the classes it loads";

  /**
   * The timed run, and the total wall time of a run before it that recorded the class archive (NaN
   * when none did).
   */
  record Measured(JobLogTimeline.Phases phases, double recordingSeconds) {}

  private final Path home;

  FixedCost(Path home) {
    this.home = home;
  }

  Measured measure(Path config, Path output) throws IOException, InterruptedException {
    Run first = run(config, output);
    if (!first.recorded()) {
      return new Measured(first.phases(), Double.NaN);
    }
    Run again = run(config, output);
    return new Measured(again.phases(), first.phases().total());
  }

  private record Run(JobLogTimeline.Phases phases, boolean recorded) {}

  private Run run(Path config, Path output) throws IOException, InterruptedException {
    List<String> cmd =
        List.of(
            home.resolve("bin/saliency").toString(),
            "run",
            "--config",
            config.toString(),
            "--output",
            output.toString(),
            "--quiet");
    long start = System.nanoTime();
    Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true).start();
    List<JobLogTimeline.Line> lines = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        lines.add(new JobLogTimeline.Line((System.nanoTime() - start) / 1e9, l));
      }
    }
    int code = p.waitFor();
    double exit = (System.nanoTime() - start) / 1e9;
    if (code != 0) {
      throw new IOException(
          "Cannot time "
              + String.join(" ", cmd)
              + ": exit code "
              + code
              + "; last lines: "
              + lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }
    boolean recorded = lines.stream().anyMatch(l -> l.text().contains(RECORDING));
    return new Run(JobLogTimeline.parse(lines, exit), recorded);
  }
}
