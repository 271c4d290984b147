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

  /**
   * Uniform float32 values in [0, 1) of {@code shape} drawn from {@code seed}, in {@code scope}.
   */
  static NDArray uniform(long seed, Shape shape, NDManager scope) {
    synchronized (LOCK) {
      JniUtils.setSeed(seed);
      return scope.randomUniform(0f, 1f, shape, DataType.FLOAT32);
    }
  }

  /**
   * Image {@code image} of {@code device} plus Gaussian noise of standard deviation {@code sigma}
   * of the [0, 1] pixel range (σ / std_c per normalised channel c), drawn from (--seed, {@code
   * purpose}, image_id, {@code sample}); [3, S, S] in {@code scope}.
   */
  static NDArray noisyImage(
      ExplainBatch batch,
      DeviceBatch device,
      String purpose,
      float sigma,
      int image,
      int sample,
      NDManager scope) {
    float[] scale = batch.std();
    for (int c = 0; c < 3; c++) {
      scale[c] = sigma / scale[c];
    }
    int size = batch.imageSize();
    long seed = Seeds.of(batch.options().get(Seeds.SEED), purpose, batch.imageId(image), sample);
    NDArray noise = normal(seed, new Shape(3, size, size), scope);
    NDArray x = device.images().get(image);
    x.attach(scope);
    return x.add(noise.mul(scope.create(scale, new Shape(3, 1, 1))));
  }
}
