package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import org.sparksaliency.job.model.TorchModel;

/**
 * Several targets from one forward pass: the logits of the distinct inputs of a micro-batch are
 * back-propagated once per slot ({@link SharedInputs}), keeping the graph until the last, each
 * backward selecting the target logit of that slot's row of every input. Each row gets the gradient
 * of its own target with respect to its input, as a pass of its own would give it.
 */
final class SharedBackward {
  private SharedBackward() {}

  /**
   * Per row of the micro-batch, d(row's target logit)/d(input), [m, ...] in the input's manager.
   *
   * @param input the distinct inputs (requiring a gradient), [U, ...]
   * @param logits their logits [U, classes], computed with a graph from {@code input}
   * @param targets per row of the micro-batch, its target (or {@link BatchExplainer#PREDICTED})
   */
  static NDArray gradients(NDArray input, NDArray logits, int[] targets, SharedInputs shared) {
    NDArray[] rows = new NDArray[targets.length];
    for (int s = 0; s < shared.slots(); s++) {
      int[] slotRows = shared.rowsOfSlot(s);
      int[] slotTargets = new int[slotRows.length];
      for (int u = 0; u < slotRows.length; u++) {
        slotTargets[u] = slotRows[u] < 0 ? TargetLogits.NONE : targets[slotRows[u]];
      }
      NDArray scalar = TargetLogits.sum(logits, slotTargets);
      if (s + 1 < shared.slots()) {
        TorchModel.backwardKeepingGraph(scalar);
      } else {
        TorchModel.backward(scalar);
      }
      NDArray g = input.getGradient().duplicate();
      TorchModel.zeroGradient(input);
      for (int u = 0; u < slotRows.length; u++) {
        if (slotRows[u] >= 0) {
          rows[slotRows[u]] = g.get(u);
        }
      }
    }
    return NDArrays.stack(new NDList(rows));
  }

  /** Row {@code group[k]} of {@code perInput} for every row k of the micro-batch. */
  static NDArray expand(NDArray perInput, SharedInputs shared) {
    return DeviceBatch.rows(perInput, shared.group(), perInput.getManager());
  }
}
