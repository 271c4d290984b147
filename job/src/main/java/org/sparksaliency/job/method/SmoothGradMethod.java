package org.sparksaliency.job.method;

import java.util.Random;

/**
 * SmoothGrad (Smilkov et al. 2017) and its variants over N = --smoothgrad-samples noisy copies x + ε, ε
 * Gaussian with standard deviation --smoothgrad-sigma of the [0, 1] pixel range (σ / std_c per normalised
 * channel c), each copy's noise drawn from (--seed, image_id, copy). With g the gradient of the target logit
 * per channel and pixel:
 *
 * <ul>
 *   <li>{@code smoothgrad}: max over channels of |mean(g)|;
 *   <li>{@code smoothgrad_sq}: max over channels of mean(g²);
 *   <li>{@code vargrad} (Adebayo et al. 2018): max over channels of mean(g²) − mean(g)².
 * </ul>
 *
 * All three draw the same noise, so vargrad = smoothgrad_sq − smoothgrad² channel by channel.
 */
final class SmoothGradMethod implements SaliencyMethod {

  /** Which statistic of the noisy gradients the map shows. */
  enum Variant {
    MEAN("smoothgrad"),
    SQUARE("smoothgrad_sq"),
    VARIANCE("vargrad");

    final String methodName;

    Variant(String methodName) {
      this.methodName = methodName;
    }
  }

  private final Variant variant;

  SmoothGradMethod(Variant variant) {
    this.variant = variant;
  }

  @Override
  public String name() {
    return variant.methodName;
  }

  @Override
  public SamplePlan plan(ExplainBatch batch) {
    return new Plan(batch, variant);
  }

  /** Fills {@code dst} with x plus sample {@code sample}'s noise. */
  static void noisy(ExplainBatch batch, int image, int sample, float[] dst, int offset) {
    float[] x = batch.image(image);
    int plane = batch.plane();
    float[] std = batch.std();
    double sigma = batch.sampling().smoothGradSigma();
    Random r = new Random(Seeds.of(batch.sampling().seed(), "smoothgrad", batch.imageId(image), sample));
    for (int c = 0; c < 3; c++) {
      double s = sigma / std[c];
      int base = c * plane;
      for (int p = 0; p < plane; p++) {
        dst[offset + base + p] = (float) (x[base + p] + s * r.nextGaussian());
      }
    }
  }

  private static final class Plan implements SamplePlan {
    private final ExplainBatch batch;
    private final Variant variant;
    private final int values;
    private final double[][] sums;
    private final double[][] squares;

    Plan(ExplainBatch batch, Variant variant) {
      this.batch = batch;
      this.variant = variant;
      this.values = 3 * batch.plane();
      this.sums = new double[batch.size()][];
      this.squares = new double[batch.size()][];
    }

    @Override
    public int samplesPerImage() {
      return batch.sampling().smoothGradSamples();
    }

    @Override
    public void fill(int image, int sample, float[] dst, int offset) {
      noisy(batch, image, sample, dst, offset);
    }

    @Override
    public Probe probe() {
      return Probes.INPUT_GRADIENT;
    }

    @Override
    public void accumulate(int image, int sample, SampleOutputs outputs, int row) {
      if (sums[image] == null) {
        sums[image] = new double[values];
        squares[image] = variant == Variant.MEAN ? null : new double[values];
      }
      double[] sum = sums[image];
      double[] sq = squares[image];
      float[] g = outputs.values(0);
      int base = row * values;
      for (int i = 0; i < values; i++) {
        double v = g[base + i];
        sum[i] += v;
        if (sq != null) {
          sq[i] += v * v;
        }
      }
    }

    @Override
    public float[] map(int image) {
      double n = samplesPerImage();
      double[] stat = new double[values];
      for (int i = 0; i < values; i++) {
        double mean = sums[image][i] / n;
        switch (variant) {
          case MEAN:
            stat[i] = mean;
            break;
          case SQUARE:
            stat[i] = squares[image][i] / n;
            break;
          default:
            // Rounding can make E[g²] − E[g]² slightly negative where the variance is 0.
            stat[i] = Math.max(0, squares[image][i] / n - mean * mean);
        }
      }
      return ChannelMaps.maxAbs(stat, batch.plane());
    }
  }
}
