package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.sparksaliency.job.model.TorchModel;

/** One saliency method. Implementations are stateless and run only on a model owner thread. */
public interface SaliencyMethod {

  /** The name used in {@code --methods} and in the {@code method} column. */
  String name();

  /** TorchScript methods the model must export besides {@code forward}. */
  List<String> requiredModelMethods();

  /** How to get a model with {@link #requiredModelMethods()}, for the error when it lacks them. */
  default String exportHint() {
    return "export them with @torch.jit.export, see sample-data/README.md";
  }

  /**
   * Heatmaps for a micro-batch.
   *
   * @param model the loaded model
   * @param input normalised images, shape [n, 3, S, S]; the method must not modify it
   * @param targets class index to explain for each of the n images
   * @return n maps of S × S values, row-major
   */
  float[][] explain(TorchModel model, NDArray input, int[] targets);
}
