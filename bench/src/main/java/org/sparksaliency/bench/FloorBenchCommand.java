package org.sparksaliency.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code bin/saliency bench-floor}: the job's explain-stage images/s against a vectorised PyTorch
 * peer on the near-free model and ResNet-18, the model owner's busy share and the share of it
 * outside the model passes, and the job's fixed cost on the sample config (issue #20). Parses the
 * options and prints; {@link FloorBench} measures.
 */
public final class FloorBenchCommand {
  private FloorBenchCommand() {}

  /** {@code bin/saliency bench-floor [options]}: exits with the code of {@link #run}. */
  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != BenchCommand.OK) {
      System.exit(code);
    }
  }

  /** Runs the bench; returns the exit code (0 done, 1 failed, 2 bad options). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      out.print(FloorBenchOptions.help());
      return BenchCommand.OK;
    }
    Path home = Path.of(System.getProperty("saliency.home", ".")).toAbsolutePath();
    int processors = Runtime.getRuntime().availableProcessors();
    FloorBenchOptions options;
    try {
      options = FloorBenchOptions.parse(args, home, processors);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return BenchCommand.BAD_OPTIONS;
    }
    try {
      String loadBefore = loadAverage();
      String machine =
          CpuPeak.modelName(Files.readString(Path.of("/proc/cpuinfo")))
              + ", "
              + processors
              + " CPUs, "
              + options.settings().threads()
              + " threads used";
      FloorReport report = new FloorBench(options, home, out).measure(new FloorReport(machine));
      out.println();
      out.print(report.text(loadBefore, loadAverage()));
      return BenchCommand.OK;
    } catch (Exception e) {
      err.println("Cannot complete bench-floor: " + e);
      e.printStackTrace(err);
      return BenchCommand.FAILED;
    }
  }

  /** The 1, 5 and 15 minute load averages of /proc/loadavg. */
  static String loadAverage() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
    return f[0] + " " + f[1] + " " + f[2];
  }
}
