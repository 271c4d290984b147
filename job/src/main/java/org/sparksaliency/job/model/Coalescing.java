package org.sparksaliency.job.model;

import java.io.Serializable;
import java.util.Locale;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.option.OptionType;

/**
 * Whether an executor's model owner merges the batches of concurrent tasks into full batches before
 * running them (--coalesce), and how long it waits for more (--coalesce-wait-ms).
 *
 * <p>On a GPU a small batch (a partition's last, or a run of few images per task) leaves the device
 * idle while the task threads decode; merged, the device runs full micro-batches. On the CPU the
 * task threads and the model share the cores, so waiting gains nothing, and which images share a
 * micro-batch would then depend on timing: float32 kernels round a sample differently in batches of
 * different sizes (~1e-7), so reruns would no longer be byte-identical. Hence {@code auto}: on for
 * a GPU, off for the CPU.
 *
 * @param waitMillis the longest the owner waits for other tasks' images once it has a batch smaller
 *     than --batch-size
 */
public record Coalescing(Mode mode, int waitMillis) implements Serializable {

  /** --coalesce. */
  public static final Option<Coalescing.Mode> COALESCE =
      Option.of(
          "coalesce",
          OptionType.choice("mode", Coalescing.Mode::code, Coalescing.Mode.values()),
          "auto",
          Option.Scope.DATASET,
          "merge concurrent tasks' small batches into full ones on the model owner: "
              + "auto (on a GPU) | on | off");

  /** --coalesce-wait-ms. */
  public static final Option<Integer> COALESCE_WAIT_MS =
      Option.of(
          "coalesce-wait-ms",
          OptionType.integer(0, 60_000),
          "5",
          Option.Scope.DATASET,
          "longest wait of the model owner for more tasks' images to fill a batch");

  /** The options' defaults (on for GPUs, waiting at most 5 ms). */
  public static final Coalescing DEFAULT =
      new Coalescing(
          COALESCE.parse(COALESCE.defaultText().orElseThrow()),
          COALESCE_WAIT_MS.parse(COALESCE_WAIT_MS.defaultText().orElseThrow()));

  /** --coalesce. */
  public enum Mode {
    AUTO,
    ON,
    OFF;

    /** The option value. */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Coalescing {
    java.util.Objects.requireNonNull(mode, "mode is null");
    if (waitMillis < 0) {
      throw new IllegalArgumentException("Cannot wait " + waitMillis + " ms to coalesce batches");
    }
  }

  /** Whether batches are merged on {@code device} ("cpu", "gpu0", ...). */
  public boolean on(String device) {
    return mode == Mode.ON || (mode == Mode.AUTO && device.startsWith("gpu"));
  }
}
