package org.sparksaliency.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.sparksaliency.job.model.ModelOwner;

/**
 * The attainable fp32 peak: GFLOP/s of an n × n × n matrix product (2n³ FLOP) through DJL on the
 * model owner thread, with the owner's intra-op threads. libtorch hands it to MKL/oneDNN's GEMM,
 * the best this build does.
 */
final class MatmulPeak {
  private MatmulPeak() {}

  static double gflops(ModelOwner owner, int n, int repeats) {
    return owner.call(
        model -> {
          try (NDManager scope = model.manager().newSubManager()) {
            NDArray a = scope.randomUniform(-1f, 1f, new Shape(n, n));
            NDArray b = scope.randomUniform(-1f, 1f, new Shape(n, n));
            a.matMul(b).close(); // warm-up
            long start = System.nanoTime();
            for (int i = 0; i < repeats; i++) {
              a.matMul(b).close();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return 2.0 * n * n * (double) n * repeats / seconds / 1e9;
          }
        });
  }
}
