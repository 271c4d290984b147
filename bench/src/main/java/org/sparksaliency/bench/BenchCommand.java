package org.sparksaliency.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sparksaliency.job.method.MethodRegistry;

/**
 * {@code bin/saliency bench}: model-only throughput through the job's model owner, the same against
 * peak FLOP/s, a plain PyTorch baseline on the same model and images, the whole job end to end,
 * levers, and resident memory over a long run. Prints a table and writes the figures as JSON. The
 * measuring is {@link BenchRun}'s; this class parses the options and reports.
 */
public final class BenchCommand {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int BAD_OPTIONS = 2;

  private BenchCommand() {}

  /** {@code bin/saliency bench [options]}: exits with the code of {@link #run}. */
  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != OK) {
      System.exit(code);
    }
  }

  /** Runs the bench; returns the exit code (0 done, 1 failed, 2 bad options). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      out.print(BenchOptions.help());
      return OK;
    }
    Path home = Path.of(System.getProperty("saliency.home", ".")).toAbsolutePath();
    BenchOptions options;
    try {
      options =
          BenchOptions.parse(
              args, home, Runtime.getRuntime().availableProcessors(), MethodRegistry.names());
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return BAD_OPTIONS;
    }
    try {
      BenchReport report = new BenchRun(options, home, out).measure();
      out.println();
      out.print(report.table());
      Files.createDirectories(options.json().toAbsolutePath().getParent());
      Files.writeString(options.json(), report.json());
      out.println("figures written to " + options.json());
      return OK;
    } catch (Exception e) {
      err.println("Cannot complete bench: " + e);
      e.printStackTrace(err);
      return FAILED;
    }
  }
}
