package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import java.util.function.Function;
import org.sparksaliency.job.model.TorchModel;

/**
 * A method whose own pass computes the model's logits (through {@code forward}, or {@code head(features(x))},
 * equal by the model contract) before it needs the targets. {@link BatchExplainer} takes the batch's prediction
 * from the first such method instead of running a separate forward pass: for {@code gradcam} alone that
 * halves the model work, for {@code gradient} it saves a third.
 */
interface OwnLogits {

  /**
   * Heatmaps whose targets are chosen from the method's own logits.
   *
   * @param targets given the logits [n, classes], the class to explain for each sample; called once, before
   *     any backward pass
   * @return n maps, as {@link SaliencyMethod#explain}
   */
  float[][] explainChoosingTargets(TorchModel model, NDArray input, Function<NDArray, int[]> targets);
}
