package org.sparksaliency.job.method;

import java.util.List;

/**
 * One saliency method. Implementations are stateless; they describe their work on a batch as a
 * {@link SamplePlan} that the {@link SampleScheduler} runs on the model owner thread.
 */
public interface SaliencyMethod {

  /** The name used in {@code --methods} and in the {@code method} column. */
  String name();

  /** TorchScript methods the model must export besides {@code forward}; none by default. */
  default List<String> requiredModelMethods() {
    return List.of();
  }

  /** The samples this method needs for {@code batch}, and how they become maps. */
  SamplePlan plan(ExplainBatch batch);

  /** How to get a model with {@link #requiredModelMethods()}, for the error when it lacks them. */
  default String exportHint() {
    return "export them with @torch.jit.export, see sample-data/README.md";
  }
}
