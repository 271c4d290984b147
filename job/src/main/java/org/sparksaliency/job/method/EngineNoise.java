package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Seeded random draws made by the engine on the device of the scope they go to: libtorch's default
 * generator, seeded ({@code torch.manual_seed}) right before each draw, so a draw depends on its
 * seed only, never on what was drawn before or on how samples are grouped into micro-batches.
 *
 * <p>On the CPU the stream is PyTorch's: {@code torch.manual_seed(s); torch.randn(shape)} gives the
 * same values (checked for this libtorch against Debian's PyTorch 1.13 by {@code
 * sample-data/make_noise_reference.py}). A CUDA device has its own generator (Philox), so a GPU run
 * draws other noise than a CPU run for the same seed: reproducible on each, not across them.
 *
 * <p>The generator is one per process: seeding and drawing happen under one lock, so two model
 * owners (two devices) in a JVM cannot interleave.
 */
final class EngineNoise {
  private static final Object LOCK = new Object();

  private EngineNoise() {}

  /** Standard normal float32 values of {@code shape} drawn from {@code seed}, in {@code scope}. */
  static NDArray normal(long seed, Shape shape, NDManager scope) {
    synchronized (LOCK) {
      JniUtils.setSeed(seed);
      return scope.randomNormal(0f, 1f, shape, DataType.FLOAT32);
    }
  }
}
