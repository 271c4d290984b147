package org.sparksaliency.job.method;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparksaliency.job.model.OwnerClock;
import org.sparksaliency.job.model.TorchModel;

/**
 * Runs {@link SampleWork} over a batch (a method's {@link SamplePlan}, the faithfulness curves, the
 * per-layer statistics): the B × S (image, sample) pairs are packed, image-major, into
 * micro-batches of at most the micro-batch size, each run through the model in its own native
 * memory scope and accumulated into the work before the next one starts. Model memory therefore
 * depends on the micro-batch size, never on S or B; the result does not depend on the micro-batch
 * size because every image accumulates its samples in the same order.
 *
 * <p>When a micro-batch runs out of device memory, the scheduler halves the micro-batch size and
 * retries the same samples, halving again until they fit (or failing at one sample), then logs one
 * line with the size that worked; the smaller size holds for the rest of this scheduler's life (one
 * task). Nothing of a failed micro-batch is accumulated. Only the model owner thread uses an
 * instance.
 */
public final class SampleScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(SampleScheduler.class);

  private final MicroBatchRunner runner;
  private int microBatchSize;

  /** A scheduler of micro-batches of at most {@code microBatchSize} samples. */
  public static SampleScheduler of(int microBatchSize) {
    return new SampleScheduler(microBatchSize, MicroBatchRunner.DIRECT);
  }

  SampleScheduler(int microBatchSize, MicroBatchRunner runner) {
    if (microBatchSize < 1) {
      throw new IllegalArgumentException(
          "Cannot schedule micro-batches of " + microBatchSize + " samples");
    }
    this.microBatchSize = microBatchSize;
    this.runner = runner;
  }

  /**
   * Caps the micro-batch size at {@code max} samples from now on (one sample per pass for the
   * engine fallback).
   */
  public void limitMicroBatchSize(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("Cannot limit micro-batches to " + max + " samples");
    }
    microBatchSize = Math.min(microBatchSize, max);
  }

  /**
   * The current most samples per micro-batch (smaller than configured after an out-of-memory
   * error).
   */
  public int microBatchSize() {
    return microBatchSize;
  }

  /**
   * Runs every sample of {@code work} for the images of {@code batch}.
   *
   * @param targets the class to explain for each image
   */
  public void run(DeviceBatch batch, SampleWork work, int[] targets) {
    TorchModel model = batch.model();
    work.prepare(batch);
    int perImage = work.samplesPerImage();
    long total = (long) targets.length * perImage;
    long next = 0;
    int failedSize = 0;
    String failure = null;
    while (next < total) {
      int m = (int) Math.min(microBatchSize, total - next);
      int[] images = new int[m];
      int[] samples = new int[m];
      int[] sampleTargets = new int[m];
      long[] sources = new long[m];
      for (int k = 0; k < m; k++) {
        long pair = next + k;
        images[k] = (int) (pair / perImage);
        samples[k] = (int) (pair % perImage);
        sampleTargets[k] = targets[images[k]];
        sources[k] =
            work.inputsIgnoreTarget()
                ? (long) batch.source(images[k]) * perImage + samples[k]
                : -1 - k;
      }
      SharedInputs shared = SharedInputs.of(sources);
      Probe probe = work.probe();
      Probe bound = shared.none() ? probe : (mdl, in, t) -> probe.run(mdl, in, t, shared);
      try (NDManager scope = model.manager().newSubManager()) {
        MicroBatch pairs = new MicroBatch(images, samples, scope);
        try {
          NDArray x = work.inputs(batch, pairs);
          long engineStart = System.nanoTime(); // OwnerClock: the model passes' share
          pairs.result(runner.run(model, bound, x, sampleTargets));
          OwnerClock.engine(System.nanoTime() - engineStart);
        } catch (EngineException e) {
          if (m == 1 || !isOutOfMemory(e)) {
            throw e;
          }
          if (failure == null) {
            failedSize = m;
            failure = firstLine(e.getMessage());
          }
          microBatchSize = m / 2;
          continue;
        }
        if (failure != null) {
          // Once per recovery, however many halvings it took, with the size that worked.
          LOG.warn(
              "Out of memory for micro-batches of {} samples ({}); continuing with micro-batches"
                  + " of {}",
              failedSize,
              failure,
              microBatchSize);
          failure = null;
        }
        work.accumulate(batch, pairs);
      }
      next += m;
    }
  }

  /**
   * Whether libtorch failed for lack of memory: "CUDA out of memory. Tried to allocate ..." on a
   * GPU, "DefaultCPUAllocator: not enough memory ..." on the CPU.
   */
  static boolean isOutOfMemory(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null) {
        String lower = m.toLowerCase(Locale.ROOT);
        if (lower.contains("out of memory") || lower.contains("not enough memory")) {
          return true;
        }
      }
    }
    return false;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "no message";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
