package org.sparksaliency.job.run;

import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparksaliency.job.method.BatchExplainer;
import org.sparksaliency.job.method.EngineFault;
import org.sparksaliency.job.model.EngineCheckMode;
import org.sparksaliency.job.model.EngineVerdict;
import org.sparksaliency.job.model.ModelOwner;

/**
 * The explain stage's engine self-check: once per executor JVM and model when the model is loaded
 * (seeded synthetic images), and once per run on the run's first real images on that executor. A
 * failed check makes the executor pass one sample at a time ({@code --engine-check fallback}) or
 * fails the run ({@code strict}); when not even one-sample passes repeat themselves, the run fails
 * in either mode.
 */
public final class EngineGate {
  /**
   * Test-only: an {@link EngineFault} name to inject into every model pass of the explain stage.
   */
  static final String FAULT = "spark.saliency.test.engineFault";

  private static final Logger LOG = LoggerFactory.getLogger(EngineGate.class);

  private EngineGate() {}

  /** The injected engine fault of the running task; {@link EngineFault#NONE} outside tests. */
  static EngineFault faultForCurrentTask() {
    SparkEnv env = SparkEnv.get();
    TaskContext task = TaskContext.get();
    if (env == null || task == null) {
      return EngineFault.NONE;
    }
    return EngineFault.valueOf(
        FaultInjection.setting(env.conf(), task, FAULT, "none").toUpperCase(Locale.ROOT));
  }

  /**
   * The verdict this task works under: the worse of the load check and this run's first-batch check
   * (each run once per executor, on the model owner), applied to {@code explainer}, and both
   * recorded in {@code counters}.
   *
   * @param firstImages the task's first batch of normalised images
   * @throws EngineCheckException in strict mode when a check failed, and in any mode when nothing
   *     passed
   */
  static EngineVerdict apply(
      ModelOwner owner,
      BatchExplainer explainer,
      ExplainSettings settings,
      List<float[]> firstImages,
      JobCounters counters) {
    EngineVerdict load = loadCheck(owner, explainer);
    EngineVerdict first = firstBatchCheck(owner, explainer, settings, firstImages);
    counters.addEngineVerdict(load);
    counters.addEngineVerdict(first);
    return decide(EngineVerdict.worse(load, first), explainer, settings);
  }

  /**
   * As {@link #apply(ModelOwner, BatchExplainer, ExplainSettings, List, JobCounters)}, for stages
   * that record no verdicts (the sanity check, after the explain stage has recorded them).
   */
  public static EngineVerdict apply(
      ModelOwner owner,
      BatchExplainer explainer,
      ExplainSettings settings,
      List<float[]> firstImages) {
    EngineVerdict worst =
        EngineVerdict.worse(
            loadCheck(owner, explainer), firstBatchCheck(owner, explainer, settings, firstImages));
    return decide(worst, explainer, settings);
  }

  /**
   * The verdict of the check at load (seeded synthetic images) on {@code owner}: run by the first
   * caller, a task or {@link LocalModelPreload}, and remembered by the owner.
   */
  static EngineVerdict loadCheck(ModelOwner owner, BatchExplainer explainer) {
    return owner.verdict("load", m -> logged(explainer.checkEngine(m, "load", List.of())));
  }

  private static EngineVerdict firstBatchCheck(
      ModelOwner owner, BatchExplainer explainer, ExplainSettings settings, List<float[]> images) {
    return owner.verdict(
        "first_batch:" + settings.runId() + "@" + settings.createdAtMillis(),
        m -> logged(explainer.checkEngine(m, "first_batch", images)));
  }

  private static EngineVerdict decide(
      EngineVerdict worst, BatchExplainer explainer, ExplainSettings settings) {
    switch (worst.status()) {
      case PASSED:
        return worst;
      case ONE_SAMPLE_PASSES:
        if (settings.model().engineCheck() == EngineCheckMode.STRICT) {
          throw new EngineCheckException(
              "Cannot explain with --engine-check strict: batched model passes disagree with one-sample passes; "
                  + worst.describe()
                  + ". Use --engine-check fallback to continue with one sample per pass");
        }
        explainer.useOneSamplePasses();
        return worst;
      default:
        throw new EngineCheckException(
            "Cannot explain: the engine gives different answers for the same one-sample pass, so no configuration "
                + "can be trusted; "
                + worst.describe());
    }
  }

  private static EngineVerdict logged(EngineVerdict v) {
    if (v.status() == EngineVerdict.Status.PASSED) {
      LOG.info("Engine self-check passed: {}", v.describe());
    } else {
      LOG.warn(
          "ENGINE SELF-CHECK FAILED: {}. Batched passes of this libtorch build on this processor give wrong or "
              + "unrepeatable gradients; {}",
          v.describe(),
          v.status() == EngineVerdict.Status.ONE_SAMPLE_PASSES
              ? "this executor now passes one sample at a time (slower, right); method_params says "
                  + "engine_check="
                  + v.status().code()
              : "the run stops");
    }
    return v;
  }
}
