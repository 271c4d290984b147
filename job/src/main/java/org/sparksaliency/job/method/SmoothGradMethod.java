package org.sparksaliency.job.method;

import java.util.List;
import java.util.Random;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.option.OptionType;

/**
 * SmoothGrad (Smilkov et al. 2017) and its variants over N = --smoothgrad-samples noisy copies x +
 * ε, ε Gaussian with standard deviation --smoothgrad-sigma of the [0, 1] pixel range (σ / std_c per
 * normalised channel c), each copy's noise drawn from (--seed, image_id, copy). With g the gradient
 * of the target logit per channel and pixel:
 *
 * <ul>
 *   <li>{@code smoothgrad}: max over channels of |mean(g)|;
 *   <li>{@code smoothgrad_sq}: max over channels of mean(g²);
 *   <li>{@code vargrad} (Adebayo et al. 2018): max over channels of mean(g²) − mean(g)².
 * </ul>
 *
 * All three draw the same noise, so vargrad = smoothgrad_sq − smoothgrad² channel by channel.
 *
 * <p>The sums run in double precision (no float gradient's square under- or overflows there), and
 * vargrad's variance is accumulated by Welford's update rather than as E[g²] − E[g]²: the
 * difference cancels and leaves rounding noise of ~1e-14·g² where the variance is 0 or tiny
 * (measured at 1000 identical samples), which the scale-free statistics would read as a real map.
 * With σ = 0 every copy is the image itself, so the plan runs it once: smoothgrad is then exactly
 * the gradient's map, smoothgrad_sq its square and vargrad 0 everywhere. N passes of the same input
 * would only add the differences libtorch's float32 kernels make between micro-batches of different
 * sizes (~1e-7 of the gradient), and vargrad would turn those into a map of noise.
 */
public final class SmoothGradMethod implements SaliencyMethod {

  /** Noisy copies per image. */
  public static final Option<Integer> SAMPLES =
      Option.ofMethods(
          "smoothgrad-samples", OptionType.integer(1, 100_000), "16", "noisy copies per image");

  /** Noise standard deviation as a share of the [0, 1] pixel range. */
  public static final Option<Float> SIGMA =
      Option.ofMethods(
          "smoothgrad-sigma",
          OptionType.decimal(0f, 1f, false),
          "0.15",
          "noise std as a share of the [0,1] pixel range");

  static final List<MethodDefinition> DEFINITIONS =
      java.util.Arrays.stream(Variant.values())
          .map(
              v ->
                  MethodDefinition.of(
                          v.methodName,
                          o -> new SmoothGradMethod(v),
                          List.of(SAMPLES, SIGMA, Seeds.SEED))
                      .checkedBy(
                          (options, imageSize, selected) -> {
                            if (v == Variant.VARIANCE && selected && options.get(SAMPLES) < 2) {
                              throw ConfigException.of(
                                  SAMPLES.name(),
                                  "'%d' is too few for vargrad, which needs at least 2",
                                  options.get(SAMPLES));
                            }
                          }))
          .toList();

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
    double sigma = batch.options().get(SIGMA);
    Random r =
        new Random(
            Seeds.of(batch.options().get(Seeds.SEED), "smoothgrad", batch.imageId(image), sample));
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
    private final int samples;
    private final int values;

    /**
     * Per image: the sum of g (smoothgrad), of g² (smoothgrad_sq) or the running mean of g
     * (vargrad).
     */
    private final double[][] first;

    /**
     * Per image, vargrad only: the running sum of squared deviations from the mean (Welford's M2).
     */
    private final double[][] deviations;

    Plan(ExplainBatch batch, Variant variant) {
      this.batch = batch;
      this.variant = variant;
      this.samples = batch.options().get(SIGMA) == 0 ? 1 : batch.options().get(SAMPLES);
      this.values = 3 * batch.plane();
      this.first = new double[batch.size()][];
      this.deviations = new double[batch.size()][];
    }

    @Override
    public int samplesPerImage() {
      return samples;
    }

    @Override
    public void fill(int image, int sample, float[] dst, int offset) {
      noisy(batch, image, sample, dst, offset);
    }

    @Override
    public Probe probe() {
      return Probes.INPUT_GRADIENT;
    }

    /**
     * Called in sample order for each image (see {@link SamplePlan}): sample k is the (k + 1)-th.
     */
    @Override
    public void accumulate(int image, int sample, SampleOutputs outputs, int row) {
      if (first[image] == null) {
        first[image] = new double[values];
        deviations[image] = variant == Variant.VARIANCE ? new double[values] : null;
      }
      float[] g = outputs.values(0);
      int base = row * values;
      double[] acc = first[image];
      for (int i = 0; i < values; i++) {
        double v = g[base + i];
        switch (variant) {
          case MEAN -> acc[i] += v;
          case SQUARE -> acc[i] += v * v;
          default -> welford(acc, deviations[image], i, v, sample + 1);
        }
      }
    }

    /** Welford's update of value i's running mean and M2 with the {@code count}-th value v. */
    private static void welford(double[] mean, double[] m2, int i, double v, int count) {
      double delta = v - mean[i];
      mean[i] += delta / count;
      m2[i] += delta * (v - mean[i]);
    }

    @Override
    public float[] map(int image) {
      // Welford's M2 never goes below 0: each step adds delta times (v − new mean), and the new
      // mean, a
      // rounded value between the old mean and v, leaves that factor with delta's sign or 0.
      double[] acc = variant == Variant.VARIANCE ? deviations[image] : first[image];
      double[] stat = new double[values];
      for (int i = 0; i < values; i++) {
        stat[i] = acc[i] / samples;
      }
      return ChannelMaps.maxAbs(stat, batch.plane());
    }
  }
}
