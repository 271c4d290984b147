package org.sparksaliency.job.run;

import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparksaliency.job.method.BatchExplainer;
import org.sparksaliency.job.method.EngineFault;
import org.sparksaliency.job.model.DeviceSelector;
import org.sparksaliency.job.model.ExecutorModels;
import org.sparksaliency.job.model.ModelOwner;

/**
 * In local mode the executor is the driver's JVM: while the driver plans the explain stage and its
 * tasks start, a background thread does what the first task would otherwise start only after
 * decoding its first batch: copy and load the run's model on the owner the tasks will get ({@link
 * ExecutorModels}: same model, device and threads), warm it up, and run the engine check at load
 * ({@link EngineGate}). Nothing is skipped: a task that comes early waits for the owner and the
 * verdict, every task still records both verdicts, and the check on the run's first batch still
 * runs on real images. A failure here is left for the task to meet and report.
 */
final class LocalModelPreload {
  private static final Logger LOG = LoggerFactory.getLogger(LocalModelPreload.class);

  private LocalModelPreload() {}

  /**
   * Starts the preload when {@code spark} runs its tasks in this JVM, on the CPU. Called once the
   * run's options are checked, so that a run that stops on a bad one leaves nothing loading.
   *
   * @return the preloading thread; empty when the tasks run elsewhere or ask for GPUs
   */
  static Optional<Thread> start(SparkSession spark, ExplainSettings settings) {
    // A task given a GPU would use an owner of its own: the preload would be work thrown away.
    if (!spark.sparkContext().isLocal()
        || spark.sparkContext().conf().contains("spark.task.resource.gpu.amount")) {
      return Optional.empty();
    }
    // The engine fault tests inject into the tasks' passes: the preloaded check must see it too.
    EngineFault fault =
        EngineFault.valueOf(spark.conf().get(EngineGate.FAULT, "none").toUpperCase(Locale.ROOT));
    Thread t =
        new Thread(
            () -> {
              try {
                BatchExplainer explainer = new BatchExplainer(settings.explain(), fault);
                // Outside a task: "cpu", the device of every task that asks for no GPU.
                ModelOwner owner =
                    ExecutorModels.acquire(
                        settings.model(), DeviceSelector.forCurrentTask(), explainer::warmUp);
                EngineGate.loadCheck(owner, explainer);
              } catch (RuntimeException | LinkageError e) {
                LOG.debug("Model preload failed; the explain stage's tasks report the failure", e);
              }
            },
            "saliency-model-preload");
    t.setDaemon(true);
    t.start();
    return Optional.of(t);
  }
}
