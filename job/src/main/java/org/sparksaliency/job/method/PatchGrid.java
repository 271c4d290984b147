package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import org.sparksaliency.job.model.ModelException;
import org.sparksaliency.job.model.TorchModel;

/**
 * The patch grid of a vision transformer, from its exported {@code patch_grid()} ([rows, cols]).
 * Token layout: the class token first, possibly other tokens after it, and the patches as the last
 * rows × cols tokens, row by row.
 */
record PatchGrid(int rows, int cols) {
  static final String METHOD = "patch_grid";

  /** Asks the model; fails naming the model when the answer is not two positive integers. */
  static PatchGrid of(TorchModel model, NDManager scope) {
    long[] v;
    try (NDArray grid = model.callAll(METHOD, scope).singletonOrThrow()) {
      v = grid.toType(DataType.INT64, false).toLongArray();
    }
    if (v.length != 2 || v[0] < 1 || v[1] < 1 || v[0] * v[1] > Integer.MAX_VALUE) {
      throw new ModelException(
          model.uri(),
          "patch_grid() must return two positive integers [rows, cols], not " + Arrays.toString(v),
          null);
    }
    return new PatchGrid((int) v[0], (int) v[1]);
  }

  int patches() {
    return rows * cols;
  }

  /**
   * Index of the first patch token among {@code tokens}; fails naming the model when the grid and
   * the class token do not fit.
   */
  int firstPatch(TorchModel model, long tokens, String source) {
    if (patches() > tokens - 1) {
      throw new ModelException(
          model.uri(),
          String.format(
              "patch_grid() gives %dx%d = %d patches, but %s has %d tokens (class token first, patches last); "
                  + "is --image-size the model's input size?",
              rows, cols, patches(), source, tokens),
          null);
    }
    return Math.toIntExact(tokens - patches());
  }

  /** Patch tokens [B, T, C] → [B, C, rows, cols], dropping the tokens before {@code firstPatch}. */
  NDArray toGrid(NDArray tokens, int firstPatch) {
    long b = tokens.getShape().get(0);
    long c = tokens.getShape().get(2);
    return tokens.get(":, " + firstPatch + ":, :").transpose(0, 2, 1).reshape(b, c, rows, cols);
  }
}
