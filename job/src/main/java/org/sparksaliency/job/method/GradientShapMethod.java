package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.option.OptionType;

/**
 * GradientSHAP (Lundberg and Lee 2017, as Captum's {@code GradientShap}: {@code
 * captum/attr/_core/gradient_shap.py}, a {@code NoiseTunnel} over {@code InputBaselineXGradient}):
 * expected gradients over N = --gradient-shap-samples draws, each of a noisy input x'_k = x + ε_k
 * (ε Gaussian with standard deviation --gradient-shap-stdev of the [0, 1] pixel range, σ / std_c
 * per normalised channel), a baseline b from the baseline distribution and a uniform point α_k on
 * the path between them: attribution = (1/N) sum_k (x'_k − b) · ∇f(b + α_k (x'_k − b)), f the
 * target logit. The baseline distribution is the single black baseline b = 0 (the dataset-mean
 * colour after normalisation, as --ig-baseline black). The heatmap is the sum over colour channels
 * (signed), as for integrated_gradients.
 *
 * <p>ε and α are drawn by the engine in chunks of 16 samples, chunk c from (--seed, "gradient_shap"
 * or "gradient_shap_alpha", image_id, c) right before its draw ({@link EngineNoise}): on the CPU
 * exactly what {@code torch.manual_seed(s); torch.randn(rows, 3, S, S)} and {@code
 * torch.rand(rows)} give, so a PyTorch script reproduces the draws
 * (sample-data/make_sampling_references.py). Everything runs on the device.
 */
final class GradientShapMethod implements SaliencyMethod {
  static final String NAME = "gradient_shap";

  /** Draws of (noise, path point) per image. */
  public static final Option<Integer> SAMPLES =
      Option.ofMethods(
          "gradient-shap-samples",
          OptionType.integer(1, 100_000),
          "16",
          "draws of (noisy input, path point) per image");

  /** Noise standard deviation as a share of the [0, 1] pixel range. */
  public static final Option<Float> STDEV =
      Option.ofMethods(
          "gradient-shap-stdev",
          OptionType.decimal(0f, 1f, false),
          "0.1",
          "input noise std as a share of the [0,1] pixel range");

  static final MethodDefinition DEFINITION =
      MethodDefinition.of(NAME, o -> new GradientShapMethod(), List.of(SAMPLES, STDEV, Seeds.SEED))
          .withParam(EngineNoise.PARAM, EngineNoise.STREAM);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SamplePlan plan(ExplainBatch batch) {
    return new Plan(batch);
  }

  private static final class Plan implements SamplePlan {
    private final ExplainBatch batch;
    private final int samples;
    private final NDArray[] sums;

    /** The draws of ε and α, made on first use. */
    private EngineNoise.NoisyImages draws;

    private EngineNoise.Draws alphas;

    /** The noisy inputs x' of the micro-batch being run, for its accumulation. */
    private NDArray noisy;

    Plan(ExplainBatch batch) {
      this.batch = batch;
      this.samples = batch.options().get(SAMPLES);
      this.sums = new NDArray[batch.size()];
    }

    @Override
    public int samplesPerImage() {
      return samples;
    }

    /** α_k x'_k per pair (the black baseline is 0), built on the device. */
    @Override
    public NDArray inputs(DeviceBatch device, MicroBatch pairs) {
      if (draws == null) {
        draws =
            new EngineNoise.NoisyImages(batch, device, NAME, batch.options().get(STDEV), samples);
        alphas =
            new EngineNoise.Draws(
                batch, device, NAME + "_alpha", new Shape(), samples, EngineNoise::uniform);
      }
      noisy = draws.of(pairs);
      return noisy.mul(alphas.of(pairs).reshape(pairs.size(), 1, 1, 1));
    }

    @Override
    public Probe probe() {
      return Probes.INPUT_GRADIENT;
    }

    /** Adds (x' − b) · g in float64: one sum over each image's run of samples. */
    @Override
    public void accumulate(DeviceBatch device, MicroBatch outputs) {
      NDArray terms =
          noisy
              .toType(DataType.FLOAT64, false)
              .mul(outputs.value(0).toType(DataType.FLOAT64, false));
      for (MicroBatch.Run run : outputs.runs()) {
        int image = run.image();
        if (sums[image] == null) {
          sums[image] = device.zeros(terms.getShape().slice(1));
        }
        sums[image].addi(run.of(terms).sum(new int[] {0}));
      }
    }

    @Override
    public NDArray maps(DeviceBatch device) {
      NDArray mean = NDArrays.stack(new NDList(sums)).div((double) samples);
      return FloatRange.fit(ChannelMaps.sum(mean));
    }
  }
}
