package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.sparksaliency.job.model.EngineInfo;
import org.sparksaliency.job.model.EngineVerdict;
import org.sparksaliency.job.model.TorchModel;

/**
 * The engine self-check: a pass of several samples must give each sample the logits and input
 * gradient a pass of that sample alone gives, and a second pass must repeat the first. libtorch
 * takes other kernels for a pass of several samples than for one (oneDNN convolutions instead of
 * its own for small inputs), and on some processors those gave wrong, run-to-run varying gradients;
 * one-sample passes were right everywhere. Runs on the model owner thread, through the same {@link
 * MicroBatchRunner} as the methods.
 */
final class EngineCheck {
  /**
   * Samples compared: enough for a batched pass to take the batched kernels, few enough to cost
   * little.
   */
  static final int SAMPLES = 3;

  /**
   * Largest accepted max|a − b| / max(|a|, |b|) per sample. Batched and one-sample passes differ by
   * float rounding only (measured here: ~3e-7 of the largest gradient); the defect this guards
   * against changed gradients by their own size.
   */
  static final double TOLERANCE = 1e-3;

  /** How many times a repeatable disagreement is measured again on moved inputs. */
  static final int NUDGES = 2;

  private static final long SYNTHETIC_SEED = 0x5eed_c4ecL;

  private final int imageSize;
  private final MicroBatchRunner runner;

  EngineCheck(int imageSize, MicroBatchRunner runner) {
    this.imageSize = imageSize;
    this.runner = runner;
  }

  /**
   * {@link #SAMPLES} seeded images of uniform [0, 1] pixels, normalised with {@code mean} and
   * {@code std}.
   */
  static List<float[]> syntheticImages(int imageSize, float[] mean, float[] std, int count) {
    Random r = new Random(SYNTHETIC_SEED);
    int plane = imageSize * imageSize;
    List<float[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      float[] x = new float[3 * plane];
      for (int c = 0; c < 3; c++) {
        for (int p = 0; p < plane; p++) {
          x[c * plane + p] = (r.nextFloat() - mean[c]) / std[c];
        }
      }
      out.add(x);
    }
    return out;
  }

  /**
   * Checks the engine on {@code images} (at least two; the first {@link #SAMPLES} are used). Every
   * sample explains class 0: any class exercises the same kernels, and a fixed one cannot flip
   * between passes.
   */
  EngineVerdict run(TorchModel model, String check, List<float[]> images) {
    if (images.size() < 2) {
      throw new IllegalArgumentException(
          "Cannot check the engine on " + images.size() + " image: it needs two");
    }
    long start = System.nanoTime();
    List<float[]> xs = images.subList(0, Math.min(SAMPLES, images.size()));
    Rows batched = pass(model, xs);
    Rows single = onePerPass(model, xs);
    Rows again = pass(model, xs);
    double batchedVsSingle = batched.worstDifference(single);
    double rerun = batched.worstDifference(again);
    boolean identical = batched.identical(again);
    // A ReLU or max-pool input within float32 rounding of its kink may fall on either side in two
    // passes that round differently (a batched convolution sums in another order), switching a path
    // of the gradient on or off: both passes are right to float32 precision. An engine defect does
    // not
    // move away with the inputs; such a kink does. So a repeatable disagreement is measured again
    // on
    // slightly moved copies of the images, at most NUDGES times, and the last measure decides.
    double firstDraw = Double.NaN;
    for (int nudge = 1;
        nudge <= NUDGES
            && batchedVsSingle > TOLERANCE
            && Double.isFinite(batchedVsSingle)
            && rerun <= TOLERANCE;
        nudge++) {
      if (Double.isNaN(firstDraw)) {
        firstDraw = batchedVsSingle;
      }
      List<float[]> moved = nudged(xs, nudge);
      batchedVsSingle = pass(model, moved).worstDifference(onePerPass(model, moved));
    }
    EngineVerdict.Status status = EngineVerdict.Status.PASSED;
    double singleRerun = Double.NaN;
    if (!(batchedVsSingle <= TOLERANCE && rerun <= TOLERANCE)) {
      singleRerun = single.worstDifference(onePerPass(model, xs));
      status =
          singleRerun <= TOLERANCE
              ? EngineVerdict.Status.ONE_SAMPLE_PASSES
              : EngineVerdict.Status.FAILED;
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    return new EngineVerdict(
        check,
        status,
        xs.size(),
        batchedVsSingle,
        rerun,
        identical,
        singleRerun,
        firstDraw,
        millis,
        EngineInfo.cpuModel(),
        EngineInfo.libtorchBuild(),
        JniUtils.getNumThreads());
  }

  /**
   * Copies of {@code xs} moved by seeded noise of 1e-3 of each image's largest value: far beyond
   * float32 rounding, far below anything that changes what the image shows.
   */
  static List<float[]> nudged(List<float[]> xs, int draw) {
    Random r = new Random(SYNTHETIC_SEED + draw);
    List<float[]> out = new ArrayList<>(xs.size());
    for (float[] x : xs) {
      float scale = 0;
      for (float v : x) {
        scale = Math.max(scale, Math.abs(v));
      }
      float[] y = new float[x.length];
      for (int k = 0; k < x.length; k++) {
        y[k] = x[k] + 1e-3f * scale * (2 * r.nextFloat() - 1);
      }
      out.add(y);
    }
    return out;
  }

  private Rows onePerPass(TorchModel model, List<float[]> xs) {
    List<Rows> parts = new ArrayList<>(xs.size());
    for (float[] x : xs) {
      parts.add(pass(model, List.of(x)));
    }
    return Rows.concat(parts);
  }

  /** Each sample's logits and input gradient, from one pass of all of {@code xs}. */
  private Rows pass(TorchModel model, List<float[]> xs) {
    int m = xs.size();
    int values = 3 * imageSize * imageSize;
    float[] data = new float[m * values];
    for (int i = 0; i < m; i++) {
      System.arraycopy(xs.get(i), 0, data, i * values, values);
    }
    SampleOutputs out;
    try (NDManager scope = model.manager().newSubManager()) {
      NDArray x = scope.create(FloatBuffer.wrap(data), new Shape(m, 3, imageSize, imageSize));
      out = SampleOutputs.copy(runner.run(model, Probes.INPUT_GRADIENT, x, new int[m]), m);
    }
    Rows rows = new Rows(m);
    for (int i = 0; i < m; i++) {
      rows.logits[i] = out.logits(i);
      rows.gradients[i] = Arrays.copyOfRange(out.values(0), i * values, (i + 1) * values);
    }
    return rows;
  }

  /**
   * Per sample, its logits and its input gradient. They are compared apart: gradients are often
   * orders of magnitude smaller than logits, so one scale for both would hide a wrong gradient.
   */
  private static final class Rows {
    final float[][] logits;
    final float[][] gradients;

    Rows(int m) {
      logits = new float[m][];
      gradients = new float[m][];
    }

    static Rows concat(List<Rows> parts) {
      Rows all = new Rows(parts.size());
      for (int i = 0; i < parts.size(); i++) {
        all.logits[i] = parts.get(i).logits[0];
        all.gradients[i] = parts.get(i).gradients[0];
      }
      return all;
    }

    double worstDifference(Rows other) {
      return Math.max(worst(logits, other.logits), worst(gradients, other.gradients));
    }

    boolean identical(Rows other) {
      return Arrays.deepEquals(logits, other.logits)
          && Arrays.deepEquals(gradients, other.gradients);
    }
  }

  /** The worst per-sample relative difference (see {@link #relative}). */
  static double worst(float[][] a, float[][] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, relative(a[i], b[i]));
    }
    return worst;
  }

  /**
   * max|a − b| / max(|a|, |b|) over the finite values, 0 for two all-zero rows. A value that is NaN
   * or infinite in both passes alike agrees (a model that gives NaN for an image gives it in every
   * pass, and the image is quarantined as non_finite); one that is not finite in only one pass is
   * an infinite difference.
   */
  static double relative(float[] a, float[] b) {
    double diff = 0;
    double scale = 0;
    for (int k = 0; k < a.length; k++) {
      if (!Float.isFinite(a[k]) || !Float.isFinite(b[k])) {
        if (Float.compare(a[k], b[k]) == 0) {
          continue;
        }
        return Double.POSITIVE_INFINITY;
      }
      diff = Math.max(diff, Math.abs((double) a[k] - b[k]));
      scale = Math.max(scale, Math.max(Math.abs(a[k]), Math.abs(b[k])));
    }
    return scale == 0 ? 0 : diff / scale;
  }
}
