package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.option.OptionType;

/**
 * SmoothGrad (Smilkov et al. 2017) and its variants over N = --smoothgrad-samples noisy copies x +
 * ε, ε Gaussian with standard deviation --smoothgrad-sigma of the [0, 1] pixel range (σ / std_c per
 * normalised channel c), the copies' noise drawn by the engine on the model's device in chunks of
 * 16 copies, chunk c from the seed (--seed, image_id, c) ({@link EngineNoise}). With g the gradient
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
 * <p>The noise, the noisy copies, the sums and the channel reduction are engine ops next to the
 * model; only the finished maps leave the device. The sums run in double precision (no float
 * gradient's square under- or overflows there), and vargrad's variance is accumulated as the mean
 * and the sum of squared deviations (each micro-batch's run of copies by two passes, merged by Chan
 * et al.'s pairwise update) rather than as E[g²] − E[g]²: the difference cancels and leaves
 * rounding noise of ~1e-14·g² where the variance is 0 or tiny (measured at 1000 identical samples),
 * which the scale-free statistics would read as a real map. With σ = 0 every copy is the image
 * itself, so the plan runs it once: smoothgrad is then exactly the gradient's map, smoothgrad_sq
 * its square and vargrad 0 everywhere. N passes of the same input would only add the differences
 * libtorch's float32 kernels make between micro-batches of different sizes (~1e-7 of the gradient),
 * and vargrad would turn those into a map of noise.
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
                      .withParam(EngineNoise.PARAM, EngineNoise.STREAM)
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

  private static final int[] SAMPLE_AXIS = {0};

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

  private static final class Plan implements SamplePlan {
    private final ExplainBatch batch;
    private final Variant variant;
    private final int samples;

    /**
     * Per image, float64 [3, S, S] on the device: the sum of g (smoothgrad), of g² (smoothgrad_sq)
     * or the running mean of g (vargrad).
     */
    private final NDArray[] first;

    /** Per image, vargrad only: the running sum of squared deviations from the mean (M2). */
    private final NDArray[] deviations;

    /** The noisy copies' draws, made on first use (σ > 0). */
    private EngineNoise.NoisyImages noisy;

    Plan(ExplainBatch batch, Variant variant) {
      this.batch = batch;
      this.variant = variant;
      this.samples = batch.options().get(SIGMA) == 0 ? 1 : batch.options().get(SAMPLES);
      this.first = new NDArray[batch.size()];
      this.deviations = new NDArray[batch.size()];
    }

    @Override
    public int samplesPerImage() {
      return samples;
    }

    @Override
    public NDArray inputs(DeviceBatch device, MicroBatch pairs) {
      if (batch.options().get(SIGMA) == 0) {
        return device.gather(pairs.images(), pairs.scope());
      }
      if (noisy == null) {
        noisy =
            new EngineNoise.NoisyImages(
                batch, device, "smoothgrad", batch.options().get(SIGMA), samples);
      }
      return noisy.of(pairs);
    }

    @Override
    public Probe probe() {
      return Probes.INPUT_GRADIENT;
    }

    /**
     * Called in sample order for each image (see {@link SamplePlan}). Each image's rows of the
     * micro-batch are one run of consecutive samples: their float64 sum (or sum of squares, or mean
     * and sum of squared deviations) is one reduction on the device, merged into the image's
     * accumulator with one update. Sums over runs of other lengths round differently (a few ulps of
     * float64), so maps differ across micro-batch sizes by far less than float32 resolves.
     */
    @Override
    public void accumulate(DeviceBatch device, MicroBatch outputs) {
      NDArray grads = outputs.value(0);
      for (MicroBatch.Run run : outputs.runs()) {
        int image = run.image();
        NDArray g = run.of(grads).toType(DataType.FLOAT64, false);
        if (first[image] == null) {
          Shape shape = g.getShape().slice(1);
          first[image] = device.zeros(shape);
          deviations[image] = variant == Variant.VARIANCE ? device.zeros(shape) : null;
        }
        switch (variant) {
          case MEAN -> first[image].addi(g.sum(SAMPLE_AXIS));
          case SQUARE -> first[image].addi(g.mul(g).sum(SAMPLE_AXIS));
          default -> merge(first[image], deviations[image], run.firstSample(), g);
        }
      }
    }

    /**
     * Merges a run of values (first axis) into the running mean and M2 (sum of squared deviations)
     * of {@code count} earlier values: the run's own mean and M2 by two passes, combined by Chan et
     * al.'s pairwise update. With no earlier values the update gives the run's mean and M2 exactly.
     */
    private static void merge(NDArray mean, NDArray m2, int count, NDArray values) {
      long n = values.getShape().get(0);
      NDArray runMean = values.sum(SAMPLE_AXIS).div((double) n);
      NDArray dev = values.sub(runMean);
      double total = count + n;
      NDArray delta = runMean.sub(mean);
      mean.addi(delta.mul(n / total));
      m2.addi(dev.mul(dev).sum(SAMPLE_AXIS).add(delta.mul(delta).mul(count * (n / total))));
    }

    @Override
    public NDArray maps(DeviceBatch device) {
      // M2 never goes below 0: each merge adds a sum of squares and a square times a count.
      NDArray[] acc = variant == Variant.VARIANCE ? deviations : first;
      NDList stats = new NDList(acc.length);
      for (NDArray a : acc) {
        stats.add(ChannelMaps.maxAbs(a.div((double) samples)));
      }
      return FloatRange.fit(NDArrays.stack(stats));
    }
  }
}
