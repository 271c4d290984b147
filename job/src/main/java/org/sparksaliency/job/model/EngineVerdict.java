package org.sparksaliency.job.model;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one engine self-check on one executor: whether passes of several samples give each
 * sample what a pass of that sample alone gives, and whether a second pass repeats the first.
 *
 * @param check which check: {@code load} (seeded synthetic images, when the model was loaded) or
 *     {@code first_batch} (the run's first real images on this executor)
 * @param status the verdict
 * @param samples samples compared
 * @param batchedVsSingle worst max|batched − single| / max(|batched|, |single|) over the samples'
 *     logits and input gradients (infinite where a value is NaN or infinite in one pass only)
 * @param rerun the same measure between a second batched pass and the first
 * @param rerunIdentical whether the second batched pass repeated the first bit for bit
 * @param singleRerun the same measure between two one-sample passes; measured only when the batched
 *     passes failed (NaN otherwise)
 * @param firstDraw when the first images disagreed repeatably, their measure, and {@code
 *     batchedVsSingle} is that of slightly moved copies (an input within float32 rounding of a ReLU
 *     or max-pool kink makes two right passes differ; a defect stays); NaN otherwise
 * @param millis wall time of the check
 * @param cpu the processor model
 * @param libtorch the libtorch build
 * @param threads libtorch's intra-op threads during the check
 */
public record EngineVerdict(
    String check,
    Status status,
    int samples,
    double batchedVsSingle,
    double rerun,
    boolean rerunIdentical,
    double singleRerun,
    double firstDraw,
    long millis,
    String cpu,
    String libtorch,
    int threads)
    implements Serializable {

  /** What the executor concluded. */
  public enum Status {
    /**
     * Batched passes agree with one-sample passes and repeat themselves: the configuration stands.
     */
    PASSED,
    /** Batched passes do not; one-sample passes repeat themselves: the executor uses those. */
    ONE_SAMPLE_PASSES,
    /** Not even one-sample passes repeat themselves: no configuration can be trusted. */
    FAILED;

    /** The value in method_params and run.json. */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public EngineVerdict {
    Objects.requireNonNull(check, "check is null");
    Objects.requireNonNull(status, "status is null");
    Objects.requireNonNull(cpu, "cpu is null");
    Objects.requireNonNull(libtorch, "libtorch is null");
  }

  /** The worse of two verdicts (the later one when they are equal). */
  public static EngineVerdict worse(EngineVerdict a, EngineVerdict b) {
    return a.status().compareTo(b.status()) > 0 ? a : b;
  }

  /** One line for logs and errors, naming the processor and the libtorch build. */
  public String describe() {
    String line =
        String.format(
            Locale.ROOT,
            "engine check '%s' on %s (libtorch %s, %d intra-op threads): %s; %d samples, batched vs one-sample "
                + "passes differ by %.3g, a second batched pass by %.3g (%s)",
            check,
            cpu,
            libtorch,
            threads,
            status.code(),
            samples,
            batchedVsSingle,
            rerun,
            rerunIdentical ? "bit-identical" : "not bit-identical");
    if (!Double.isNaN(firstDraw)) {
      line +=
          String.format(
              Locale.ROOT,
              " on slightly moved images (the first ones differed by %.3g: an input near a ReLU or"
                  + " max-pool kink, or a defect if it stays)",
              firstDraw);
    }
    if (!Double.isNaN(singleRerun)) {
      line += String.format(Locale.ROOT, ", a second one-sample pass by %.3g", singleRerun);
    }
    return line + String.format(Locale.ROOT, "; took %d ms", millis);
  }

  /** The verdict as run.json shows it, with the executor that reached it. */
  public Map<String, Object> toMap(String executor) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("executor", executor);
    m.put("check", check);
    m.put("verdict", status.code());
    m.put("samples", samples);
    m.put("batched_vs_single", finiteOrText(batchedVsSingle));
    m.put("rerun", finiteOrText(rerun));
    m.put("rerun_identical", rerunIdentical);
    if (!Double.isNaN(singleRerun)) {
      m.put("single_rerun", finiteOrText(singleRerun));
    }
    if (!Double.isNaN(firstDraw)) {
      m.put("first_draw_batched_vs_single", finiteOrText(firstDraw));
    }
    m.put("millis", millis);
    m.put("cpu", cpu);
    m.put("libtorch", libtorch);
    m.put("threads", threads);
    return m;
  }

  // JSON has no infinity: a non-finite measure is written as text.
  private static Object finiteOrText(double v) {
    return Double.isFinite(v) ? (Object) v : Double.toString(v);
  }
}
