package org.sparksaliency.job.model;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * How long this JVM's model owner threads worked ({@link ModelOwner#call}) and how much of that
 * went to the model passes themselves (the probe of each micro-batch, timed in {@code
 * SampleScheduler}). The rest of the owner's time is the owner's own machinery: building samples,
 * accumulating, reducing and resampling maps (engine ops next to the model), copying maps and
 * logits to the host, and Java work, all of which keeps the model waiting. Per JVM: in local mode
 * the driver reads its executor's figures.
 */
public final class OwnerClock {
  private static final LongAdder BUSY = new LongAdder();
  private static final LongAdder ENGINE = new LongAdder();

  private OwnerClock() {}

  /** Runs owner work, adding its time to the busy clock. */
  static <T> T busy(Supplier<T> work) {
    long start = System.nanoTime();
    try {
      return work.get();
    } finally {
      BUSY.add(System.nanoTime() - start);
    }
  }

  /** Adds the time of one engine call made by owner work. */
  public static void engine(long nanos) {
    ENGINE.add(nanos);
  }

  /** The clocks now. */
  public static Reading read() {
    return new Reading(System.nanoTime(), BUSY.sum(), ENGINE.sum());
  }

  /** The clocks at one moment, in nanoseconds. */
  public record Reading(long at, long busy, long engine) {
    /** Seconds the owners worked since {@code earlier}. */
    public double busySecondsSince(Reading earlier) {
      return (busy - earlier.busy) / 1e9;
    }

    /** Seconds in engine calls since {@code earlier}. */
    public double engineSecondsSince(Reading earlier) {
      return (engine - earlier.engine) / 1e9;
    }

    /** Wall-clock seconds since {@code earlier}. */
    public double secondsSince(Reading earlier) {
      return (at - earlier.at) / 1e9;
    }
  }
}
