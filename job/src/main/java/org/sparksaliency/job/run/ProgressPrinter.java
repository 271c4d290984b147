package org.sparksaliency.job.run;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.spark.SparkContext;
import org.sparksaliency.job.config.ProgressConfig;

/**
 * Prints a progress line (files done of the listed total, files per second, ETA, files quarantined)
 * every {@code --progress-interval} seconds while the explain stage runs, and a last one when it
 * ends; nothing with {@code --quiet}. Done counts come from the explain stage's accumulators
 * ({@link JobCounters}): finished tasks' totals as the driver merged them, plus running tasks'
 * partial counts from executor heartbeats ({@link RunningTaskCounts}), so a long partition moves
 * the count before it ends.
 */
public final class ProgressPrinter implements AutoCloseable {
  private final PrintStream out;
  private final long total;
  private final LongSupplier done;
  private final LongSupplier quarantined;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer;
  private final Runnable detach;
  private volatile boolean printedAll;

  private ProgressPrinter(
      PrintStream out,
      long total,
      LongSupplier done,
      LongSupplier quarantined,
      ScheduledExecutorService timer,
      Runnable detach) {
    this.out = out;
    this.total = total;
    this.done = done;
    this.quarantined = quarantined;
    this.timer = timer;
    this.detach = detach;
  }

  /**
   * Starts printing to {@code out} about the work of {@code counters}, or returns a printer that
   * prints nothing when the config is quiet.
   *
   * @param total input files listed on the driver
   */
  public static ProgressPrinter start(
      SparkContext sc, ProgressConfig config, long total, JobCounters counters, PrintStream out) {
    if (config.quiet()) {
      return new ProgressPrinter(out, total, () -> 0, () -> 0, null, () -> {});
    }
    RunningTaskCounts running =
        new RunningTaskCounts(counters.filesDoneId(), counters.filesQuarantinedId());
    sc.addSparkListener(running);
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "saliency-progress");
              t.setDaemon(true);
              return t;
            });
    ProgressPrinter p =
        new ProgressPrinter(
            out,
            total,
            () -> counters.filesDone() + running.filesDone(),
            () -> counters.filesQuarantined() + running.filesQuarantined(),
            timer,
            () -> sc.removeSparkListener(running));
    timer.scheduleAtFixedRate(
        p::printPeriodic, config.intervalSeconds(), config.intervalSeconds(), TimeUnit.SECONDS);
    return p;
  }

  /**
   * Stops the periodic lines and prints the last one (done equals the total unless tasks were
   * retried).
   */
  @Override
  public void close() {
    if (timer == null) {
      return;
    }
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    detach.run();
    printLine();
  }

  private void printPeriodic() {
    // Once every file is done only the final line remains to say so (the heatmaps may still be
    // committing).
    if (!printedAll) {
      printedAll = printLine() >= total;
    }
  }

  private long printLine() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    long n = done.getAsLong();
    String line = line(n, total, quarantined.getAsLong(), seconds);
    synchronized (out) {
      out.println(line);
      out.flush();
    }
    return n;
  }

  /**
   * One progress line, for example {@code progress: 20/40 files (50.0%) in 6 s, 3.33 files/s, ETA 6
   * s, 0 quarantined}. A count above the total (a retried task counted twice while it ran) shows as
   * the total.
   */
  static String line(long done, long total, long quarantined, double seconds) {
    long shown = Math.min(done, total);
    double rate = seconds > 0 ? shown / seconds : 0;
    String eta;
    if (shown >= total) {
      eta = "done";
    } else if (rate <= 0) {
      eta = "ETA unknown";
    } else {
      eta = "ETA " + duration((total - shown) / rate);
    }
    return String.format(
        Locale.ROOT,
        "progress: %d/%d files (%.1f%%) in %s, %.2f files/s, %s, %d quarantined",
        shown,
        total,
        total > 0 ? 100.0 * shown / total : 100.0,
        duration(seconds),
        rate,
        eta,
        quarantined);
  }

  /** 42 s, 3 min 05 s, 2 h 07 min. */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }
}
