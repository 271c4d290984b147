package org.sparksaliency.job.model;

import java.io.Serializable;
import java.util.Locale;

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

  /** The default: on for GPUs, waiting at most 5 ms. */
  public static final Coalescing DEFAULT = new Coalescing(Mode.AUTO, 5);

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
