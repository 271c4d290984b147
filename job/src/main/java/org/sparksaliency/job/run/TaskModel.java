package org.sparksaliency.job.run;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.sparksaliency.job.method.BatchExplainer;
import org.sparksaliency.job.method.ImageExplanation;
import org.sparksaliency.job.model.DeviceSelector;
import org.sparksaliency.job.model.EngineVerdict;
import org.sparksaliency.job.model.ExecutorModels;
import org.sparksaliency.job.model.ModelOwner;
import org.sparksaliency.job.model.TorchModel;

/**
 * A task's handle on the executor's model, the same for every stage that runs it: the owner of the
 * run's model on the task's device ({@link ExecutorModels}: copied, checked against the run's
 * sha-256, loaded and warmed up once per JVM), checked for what the stage needs, and gated by the
 * engine self-check ({@link EngineGate}).
 */
final class TaskModel {
  private final ExplainSettings settings;
  private final BatchExplainer explainer;
  private final ModelOwner owner;

  private TaskModel(ExplainSettings settings, BatchExplainer explainer, ModelOwner owner) {
    this.settings = settings;
    this.explainer = explainer;
    this.owner = owner;
  }

  /**
   * The executor's owner of the run's model, which fails, naming the model, if it lacks what {@code
   * explainer}'s methods or {@code stageCheck} need.
   *
   * @param explainer warms a newly loaded model up, and is the one the engine gate applies its
   *     verdict to
   */
  static TaskModel acquire(
      ExplainSettings settings, BatchExplainer explainer, Consumer<TorchModel> stageCheck) {
    ModelOwner owner =
        ExecutorModels.acquire(
            settings.model(), DeviceSelector.forCurrentTask(), explainer::warmUp);
    owner.call(
        (TorchModel model) -> {
          explainer.checkModel(model);
          stageCheck.accept(model);
          return null;
        });
    return new TaskModel(settings, explainer, owner);
  }

  /**
   * Explains a task's batch on the model owner, merged with other tasks' batches when the run
   * coalesces on this device ({@link ExplainQueue}).
   */
  List<List<ImageExplanation>> explain(
      List<float[]> images, List<int[]> targets, List<String> ids) {
    if (settings.coalescing().on(owner.device())) {
      return ExplainQueue.of(
              owner,
              settings.runId(),
              settings.explain().batchSize(),
              settings.coalescing().waitMillis())
          .explain(owner, explainer, images, targets, ids);
    }
    return owner.call(m -> explainer.explainTargets(m, images, targets, ids));
  }

  /** Runs {@code work} on the model owner thread. */
  <T> T call(Function<TorchModel, T> work) {
    return owner.call(work);
  }

  /**
   * The engine verdict for this run on this executor (see {@link EngineGate}), recorded in {@code
   * counters}.
   */
  EngineVerdict gate(List<float[]> firstImages, JobCounters counters) {
    return EngineGate.apply(owner, explainer, settings, firstImages, counters);
  }

  /**
   * As {@link #gate(List, JobCounters)}, for a stage that runs after the explain stage has recorded
   * the verdicts.
   */
  EngineVerdict gate(List<float[]> firstImages) {
    return EngineGate.apply(owner, explainer, settings, firstImages);
  }
}
