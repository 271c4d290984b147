package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.sparksaliency.udf.AreaResampler;

/**
 * Brings a batch's maps from the device to the host at the stored heatmap grid: area-averaged from
 * size × size to grid × grid on the device ({@link AreaResampler}'s averages: block means when the
 * grid divides the size, else two float64 matrix products A · M · Aᵀ), then one copy of B · grid²
 * floats. At grid = size the maps come as they are.
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
    float[] all = onDevice(maps).toFloatArray();
    int cells = grid * grid;
    float[][] split = new float[n][];
    for (int i = 0; i < n; i++) {
      split[i] = java.util.Arrays.copyOfRange(all, i * cells, (i + 1) * cells);
    }
    return split;
  }

  /**
   * The maps at the grid, float32 [B, grid, grid] on the device. When the grid divides the size,
   * each cell is the float64 mean of its k × k block (k = size / grid: one reduction); otherwise A
   * · M · Aᵀ with the area weights, in float64.
   */
  NDArray onDevice(NDArray maps) {
    if (weights == null) {
      return maps;
    }
    NDArray m = maps.toType(DataType.FLOAT64, false);
    if (size % grid == 0) {
      long n = maps.getShape().get(0);
      int k = size / grid;
      return m.reshape(n, grid, k, grid, k)
          .sum(new int[] {2, 4})
          .div((double) k * k)
          .toType(DataType.FLOAT32, false);
    }
    NDArray a = maps.getManager().create(weights, new Shape(grid, size));
    return a.matMul(m).matMul(a.transpose()).toType(DataType.FLOAT32, false);
  }
}
