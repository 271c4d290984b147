package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.sparksaliency.udf.AreaResampler;

/**
 * Brings a batch's maps from the device to the host at the stored heatmap grid: area-averaged from
 * size × size to grid × grid ({@link AreaResampler}'s weights, as two float64 matrix products A · M
 * · Aᵀ on the device), then one copy of B · grid² floats. At grid = size the maps come as they are.
 */
final class MapGrid {
  private final int size;
  private final int grid;
  private final double[] weights;

  MapGrid(int size, int grid) {
    this.size = size;
    this.grid = grid;
    this.weights = size == grid ? null : AreaResampler.matrix(size, grid);
  }

  int grid() {
    return grid;
  }

  /** Maps [B, size, size] float32 on the device to B row-major grid × grid maps on the host. */
  float[][] toHost(NDArray maps) {
    int n = Math.toIntExact(maps.getShape().get(0));
    NDArray out = maps;
    if (weights != null) {
      NDArray a = maps.getManager().create(weights, new Shape(grid, size));
      out =
          a.matMul(maps.toType(DataType.FLOAT64, false))
              .matMul(a.transpose())
              .toType(DataType.FLOAT32, false);
    }
    float[] all = out.toFloatArray();
    int cells = grid * grid;
    float[][] split = new float[n][];
    for (int i = 0; i < n; i++) {
      split[i] = java.util.Arrays.copyOfRange(all, i * cells, (i + 1) * cells);
    }
    return split;
  }
}
