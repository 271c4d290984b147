package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * The first principal component of each image's activations, on the engine in float64: with X the
 * [cells, C] activations of one image centred per channel over the cells, the projection X v onto
 * the first right singular vector v of X (pytorch-grad-cam's {@code get_2d_projection} in {@code
 * pytorch_grad_cam/utils/svd_on_activations.py}, after Muhammad & Yeasin 2020, Eigen-CAM).
 *
 * <p>DJL has no SVD, so the top eigenvector of the smaller Gram matrix (XᵀX [C, C] or XXᵀ [cells,
 * cells]) is found by {@value #SQUARINGS} repeated squarings M ← M² / ‖M²‖: the ratio of the second
 * eigenvalue to the first falls to its 2^{@value #SQUARINGS}-th power, so any gap above 1e-8 is
 * resolved to float64 precision; the limit is u uᵀ, read from its largest diagonal entry's column.
 *
 * <p>An eigenvector's sign is arbitrary (pytorch-grad-cam leaves it to LAPACK, so a map can come
 * out inverted and ReLU then keeps the background). Here it is fixed: the projection points along
 * the channel sum of the uncentred activations (their dot product is ≥ 0), so the map is high where
 * the activations are.
 */
final class EigenProjection {
  static final int SQUARINGS = 30;
  private static final double TINY = 1e-300;

  private EigenProjection() {}

  /** Activations [m, C, h, w] → the projections [m, h, w] (before any ReLU). */
  static NDArray of(NDArray activations) {
    NDArray a = activations.toType(DataType.FLOAT64, false);
    long m = a.getShape().get(0);
    long c = a.getShape().get(1);
    long h = a.getShape().get(2);
    long w = a.getShape().get(3);
    NDArray x = a.reshape(m, c, h * w).transpose(0, 2, 1); // [m, cells, C]
    NDArray centred = x.sub(x.mean(new int[] {1}, true));
    NDArray projection;
    if (c <= h * w) {
      NDArray v = topEigenvector(centred.transpose(0, 2, 1).batchMatMul(centred)); // [m, C, 1]
      projection = centred.batchMatMul(v); // [m, cells, 1]
    } else {
      NDArray gram = centred.batchMatMul(centred.transpose(0, 2, 1)); // [m, cells, cells]
      NDArray u = topEigenvector(gram);
      NDArray lambda = u.transpose(0, 2, 1).batchMatMul(gram).batchMatMul(u); // [m, 1, 1]
      projection = u.mul(lambda.maximum(0).sqrt());
    }
    projection = projection.reshape(m, h * w);
    NDArray total = x.sum(new int[] {2}); // [m, cells], the uncentred channel sum
    NDArray sign =
        projection.mul(total).sum(new int[] {1}, true).gte(0).toType(DataType.FLOAT64, false);
    return projection.mul(sign.mul(2).sub(1)).reshape(m, h, w);
  }

  /** The unit top eigenvector [m, n, 1] of each symmetric positive semi-definite [n, n] matrix. */
  static NDArray topEigenvector(NDArray symmetric) {
    NDArray p = normalised(symmetric);
    for (int i = 0; i < SQUARINGS; i++) {
      p = normalised(p.batchMatMul(p));
    }
    long n = p.getShape().get(1);
    NDManager scope = p.getManager();
    NDArray diagonal = p.mul(scope.eye((int) n).toType(DataType.FLOAT64, false)).sum(new int[] {2});
    NDArray pick =
        diagonal
            .argMax(1)
            .oneHot((int) n)
            .toType(DataType.FLOAT64, false)
            .expandDims(2); // [m, n, 1]
    NDArray column = p.batchMatMul(pick);
    NDArray peak = diagonal.expandDims(2).mul(pick).sum(new int[] {1}, true); // [m, 1, 1]
    return column.div(peak.maximum(TINY).sqrt());
  }

  private static NDArray normalised(NDArray p) {
    NDArray norm = p.pow(2).sum(new int[] {1, 2}, true).sqrt();
    return p.div(norm.maximum(TINY));
  }
}
