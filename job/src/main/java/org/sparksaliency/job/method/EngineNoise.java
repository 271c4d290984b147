package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Seeded random draws made by the engine on the device of the scope they go to: libtorch's default
 * generator, seeded ({@code torch.manual_seed}) right before each draw, so a draw depends on its
 * seed only, never on what was drawn before.
 *
 * <p>A method's per-sample draws come in chunks of {@link #CHUNK} consecutive samples of one image:
 * chunk c of image i holds samples [c·CHUNK, min((c + 1)·CHUNK, S)) and is one draw of that many
 * rows from the seed (--seed, purpose, image_id, c) ({@link Draws}). A sample's values therefore
 * depend on (--seed, image_id, sample index, S) only, never on how samples are grouped into
 * micro-batches, and the engine is called once per chunk, not once per sample.
 *
 * <p>On the CPU the stream is PyTorch's: {@code torch.manual_seed(s); torch.randn(rows, *shape)}
 * gives the same values (checked for this libtorch against Debian's PyTorch 1.13 by {@code
 * sample-data/make_noise_reference.py}; {@code sample-data/make_sampling_references.py} repeats the
 * chunks). A CUDA device has its own generator (Philox), so a GPU run draws other noise than a CPU
 * run for the same seed: reproducible on each, not across them.
 *
 * <p>The generator is one per process: seeding and drawing happen under one lock, so two model
 * owners (two devices) in a JVM cannot interleave.
 */
final class EngineNoise {
  /** Samples per draw. Changing it changes every sampling method's random stream. */
  static final int CHUNK = 16;

  /**
   * The draws' method_params entry ({@code draws=torch-chunk16}): maps of an earlier stream are not
   * kept by --incremental.
   */
  static final String PARAM = "draws";

  static final String STREAM = "torch-chunk" + CHUNK;

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

  /** One seeded draw of {@code shape}, in {@code scope}. */
  @FunctionalInterface
  interface Draw {
    NDArray draw(long seed, Shape shape, NDManager scope);
  }

  /**
   * A method's per-sample draws of one purpose over a batch, in chunks of {@link #CHUNK} samples.
   * The chunk drawn last stays in the batch's scope until another is drawn: the scheduler asks for
   * an image's samples in order, so each chunk is drawn once (again only when a micro-batch is
   * retried after an out-of-memory error).
   */
  static final class Draws {
    private final ExplainBatch batch;
    private final DeviceBatch device;
    private final String purpose;
    private final Shape sampleShape;
    private final int samples;
    private final Draw draw;
    private int cachedImage = -1;
    private int cachedChunk = -1;
    private NDArray cached;

    /**
     * @param sampleShape the shape of one sample's draw
     * @param samples samples per image (S)
     */
    Draws(
        ExplainBatch batch,
        DeviceBatch device,
        String purpose,
        Shape sampleShape,
        int samples,
        Draw draw) {
      this.batch = batch;
      this.device = device;
      this.purpose = purpose;
      this.sampleShape = sampleShape;
      this.samples = samples;
      this.draw = draw;
    }

    /** The draws of a micro-batch's samples, [m, sampleShape...], in its scope. */
    NDArray of(MicroBatch pairs) {
      NDList parts = new NDList();
      for (MicroBatch.Run run : pairs.runs()) {
        parts.add(of(run, pairs.scope()));
      }
      return DeviceBatch.joined(parts);
    }

    /** The draws of a run's samples, [run size, sampleShape...], in {@code scope}. */
    NDArray of(MicroBatch.Run run, NDManager scope) {
      NDList parts = new NDList();
      int sample = run.firstSample();
      int end = sample + run.size();
      while (sample < end) {
        int chunk = sample / CHUNK;
        int stop = Math.min(end, (chunk + 1) * CHUNK);
        NDArray rows =
            chunk(run.image(), chunk)
                .get(new NDIndex("{}:{}", sample - chunk * CHUNK, stop - chunk * CHUNK));
        rows.attach(scope);
        parts.add(rows);
        sample = stop;
      }
      return DeviceBatch.joined(parts);
    }

    private NDArray chunk(int image, int chunk) {
      if (image != cachedImage || chunk != cachedChunk) {
        if (cached != null) {
          cached.close();
        }
        int rows = Math.min(CHUNK, samples - chunk * CHUNK);
        long seed = Seeds.of(batch.options().get(Seeds.SEED), purpose, batch.imageId(image), chunk);
        cached = draw.draw(seed, new Shape(rows).addAll(sampleShape), device.manager());
        cachedImage = image;
        cachedChunk = chunk;
      }
      return cached;
    }
  }

  /**
   * Gaussian noise of standard deviation {@code sigma} of the [0, 1] pixel range (σ / std_c per
   * normalised channel c) added to the images of a micro-batch's runs, drawn from (--seed, {@code
   * purpose}, image_id, chunk): [m, 3, S, S] in {@code scope}.
   */
  static final class NoisyImages {
    private final DeviceBatch device;
    private final Draws noise;
    private final NDArray scale;

    NoisyImages(ExplainBatch batch, DeviceBatch device, String purpose, float sigma, int samples) {
      float[] s = batch.std();
      for (int c = 0; c < 3; c++) {
        s[c] = sigma / s[c];
      }
      int size = batch.imageSize();
      this.device = device;
      this.noise =
          new Draws(batch, device, purpose, new Shape(3, size, size), samples, EngineNoise::normal);
      this.scale = device.perChannel(s);
    }

    NDArray of(MicroBatch pairs) {
      NDManager scope = pairs.scope();
      NDList parts = new NDList();
      for (MicroBatch.Run run : pairs.runs()) {
        NDArray x = DeviceBatch.row(device.images(), run.image(), scope);
        parts.add(x.add(noise.of(run, scope).mul(scale)));
      }
      return DeviceBatch.joined(parts);
    }
  }
}
