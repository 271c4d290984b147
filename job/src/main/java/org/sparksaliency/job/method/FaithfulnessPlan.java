package org.sparksaliency.job.method;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Deletion and insertion curves (Petsiuk et al. 2018) of one method's maps over a batch, as
 * forward-only samples for the {@link SampleScheduler}: per image, K + 1 deletion samples then K +
 * 1 insertion samples (either set only when asked for). Sample k changes the first round(k·N/K) of
 * the N input pixels in saliency order, all three channels of a pixel together:
 *
 * <ul>
 *   <li>deletion starts from the image and sets them to 0, the dataset-mean colour after
 *       normalisation (the "removed" pixel of occlusion and the black IG baseline), ending at an
 *       all-mean image;
 *   <li>insertion starts from the image blurred like the IG blur baseline (σ = size/16, object
 *       shape gone, colour statistics kept) and puts the original pixels back, ending at the image
 *       itself.
 * </ul>
 *
 * <p>Saliency order is the signed value, largest first, as in RISE's and Captum's evaluation: a
 * pixel that argues against the target (negative in integrated_gradients, input_x_gradient,
 * occlusion) is removed last in deletion and revealed last in insertion, which is the order the
 * metric assumes ("most important first"); ranking |v| would remove strong counter-evidence early
 * and reward a map for it. For the non-negative maps (gradient, the CAMs, RISE) the two orders
 * agree. Ties (the many exact zeros of a ReLU'd CAM) are broken in a random order seeded by --seed
 * and the image_id, not by pixel index, which would delete image rows top-down and favour maps with
 * large flat regions.
 *
 * <p>The scored value is the target's softmax probability. A faithful map gives a low deletion AUC
 * (the probability collapses early) and a high insertion AUC.
 */
final class FaithfulnessPlan extends HostSampleWork {
  private final ExplainBatch batch;
  private final int steps;
  private final boolean deletion;
  private final boolean insertion;
  private final int pixels;
  private final int[][] order;
  private final float[][] blurred;
  private final double[][] deletionCurves;
  private final double[][] insertionCurves;

  /**
   * @param maps one map per image of the batch, imageSize × imageSize, row-major
   */
  FaithfulnessPlan(ExplainBatch batch, List<float[]> maps, EvaluateOptions options) {
    if (!options.curves()) {
      throw new IllegalArgumentException(
          "Cannot plan faithfulness curves: neither deletion nor insertion is on");
    }
    this.batch = batch;
    this.steps = options.steps();
    this.deletion = options.deletion();
    this.insertion = options.insertion();
    this.pixels = batch.plane();
    int n = batch.size();
    this.order = new int[n][];
    this.blurred = new float[n][];
    this.deletionCurves = new double[n][];
    this.insertionCurves = new double[n][];
    for (int i = 0; i < n; i++) {
      order[i] =
          order(
              maps.get(i),
              Seeds.of(batch.options().get(Seeds.SEED), "evaluate-ties", batch.imageId(i), 0));
      if (insertion) {
        blurred[i] = Baselines.of(IgBaseline.BLUR, batch, i);
        insertionCurves[i] = new double[steps + 1];
      }
      if (deletion) {
        deletionCurves[i] = new double[steps + 1];
      }
    }
  }

  /** Pixel indices by signed saliency, largest first, ties in a seeded random order. */
  static int[] order(float[] map, long seed) {
    int n = map.length;
    int[] shuffled = new int[n];
    for (int i = 0; i < n; i++) {
      shuffled[i] = i;
    }
    Random r = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = shuffled[i];
      shuffled[i] = shuffled[j];
      shuffled[j] = t;
    }
    // Sort (descending value, shuffled position) as one long: high 32 bits an order-reversed
    // sortable form of
    // the float, low 32 bits the position in the shuffle.
    long[] keys = new long[n];
    for (int k = 0; k < n; k++) {
      float v = map[shuffled[k]];
      int bits = Float.floatToIntBits(v == 0f ? 0f : v); // -0 ties with 0
      int ascending = bits ^ ((bits >> 31) & 0x7fffffff);
      keys[k] = ((long) ~ascending << 32) | k;
    }
    Arrays.sort(keys);
    int[] out = new int[n];
    for (int k = 0; k < n; k++) {
      out[k] = shuffled[(int) keys[k]];
    }
    return out;
  }

  /** Pixels changed at step k of K. */
  int changed(int k) {
    return (int) Math.round((double) k * pixels / steps);
  }

  @Override
  public int samplesPerImage() {
    return (deletion ? steps + 1 : 0) + (insertion ? steps + 1 : 0);
  }

  /** The curves follow each pair's own map, so pairs of one image have different inputs. */
  @Override
  public boolean inputsIgnoreTarget() {
    return false;
  }

  @Override
  protected void fill(int image, int sample, float[] dst, int offset) {
    float[] x = batch.image(image);
    int[] o = order[image];
    if (deletion && sample <= steps) {
      System.arraycopy(x, 0, dst, offset, x.length);
      for (int q = 0, end = changed(sample); q < end; q++) {
        int p = o[q];
        for (int c = 0; c < 3; c++) {
          dst[offset + c * pixels + p] = 0f;
        }
      }
      return;
    }
    int k = deletion ? sample - steps - 1 : sample;
    System.arraycopy(blurred[image], 0, dst, offset, x.length);
    for (int q = 0, end = changed(k); q < end; q++) {
      int p = o[q];
      for (int c = 0; c < 3; c++) {
        dst[offset + c * pixels + p] = x[c * pixels + p];
      }
    }
  }

  @Override
  public Probe probe() {
    return Probes.FORWARD;
  }

  @Override
  protected void accumulate(int image, int sample, SampleOutputs outputs, int row) {
    double p = outputs.probability(row, batch.target(image));
    if (deletion && sample <= steps) {
      deletionCurves[image][sample] = p;
    } else {
      insertionCurves[image][deletion ? sample - steps - 1 : sample] = p;
    }
  }

  /** Image {@code image}'s curves, once all samples are in. */
  Faithfulness curves(int image) {
    return new Faithfulness(deletionCurves[image], insertionCurves[image]);
  }
}
