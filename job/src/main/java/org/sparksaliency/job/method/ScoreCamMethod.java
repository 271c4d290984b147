package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Score-CAM (Wang et al. 2020, "Score-CAM: score-weighted visual explanations for convolutional
 * neural networks"), with the formula of pytorch-grad-cam's {@code pytorch_grad_cam/score_cam.py}:
 * each feature channel A_k, upsampled to the input with corners aligned ({@code
 * UpsamplingBilinear2d}) and min-max normalised to M_k = (U_k − min) / (max − min + 1e-8), masks
 * the input; the channel's score s_k is the target logit of x ⊙ M_k, the weights are the softmax of
 * the scores over the channels, and map = ReLU(Σ_k w_k A_k), upsampled bilinearly (half-pixel
 * centres) to the input. The paper scores with the softmax probability and weights by the scores
 * themselves; pytorch-grad-cam's logits and softmax over channels are used here.
 *
 * <p>One sample per channel, batched through the {@link SampleScheduler}; forward-only (autograd
 * off). The masks are built per micro-batch on the device from the batch's activations ({@link
 * BatchFeatures}): each channel upsampled by two matrix products with the interpolation weights,
 * not by libtorch's interpolate through DJL, whose align-corners maps did not match PyTorch's in
 * the reference test.
 */
final class ScoreCamMethod implements SaliencyMethod {
  static final String NAME = "scorecam";
  private static final float NORMALISATION_EPS = 1e-8f;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> requiredModelMethods() {
    return List.of("features", "head");
  }

  @Override
  public SamplePlan plan(ExplainBatch batch) {
    return new Plan(batch);
  }

  private static final class Plan implements SamplePlan {
    private final ExplainBatch batch;
    private NDArray activations;
    private NDArray channelRows;
    private NDArray rowWeights;
    private NDArray columnWeights;
    private double[][] scores;

    Plan(ExplainBatch batch) {
      this.batch = batch;
    }

    @Override
    public void prepare(DeviceBatch device) {
      activations = BatchFeatures.of(device, NAME);
      Shape s = activations.getShape();
      channelRows = activations.reshape(s.get(0) * s.get(1), s.get(2), s.get(3));
      scores = new double[batch.size()][(int) s.get(1)];
      rowWeights = alignedCorners((int) s.get(2), batch.imageSize(), device);
      columnWeights = alignedCorners((int) s.get(3), batch.imageSize(), device).transpose();
    }

    @Override
    public int samplesPerImage() {
      return scores[0].length;
    }

    /** x ⊙ M_k for each (image, channel k) pair, built on the device. */
    @Override
    public NDArray inputs(DeviceBatch device, MicroBatch pairs) {
      int m = pairs.size();
      int[] rows = new int[m];
      for (int k = 0; k < m; k++) {
        rows[k] = pairs.image(k) * samplesPerImage() + pairs.sample(k);
      }
      NDArray up =
          rowWeights
              .matMul(DeviceBatch.rows(channelRows, rows, pairs.scope()))
              .matMul(columnWeights);
      NDArray flat = up.reshape(m, -1);
      NDArray min = flat.min(new int[] {1}).reshape(m, 1, 1);
      NDArray max = flat.max(new int[] {1}).reshape(m, 1, 1);
      NDArray mask = up.sub(min).div(max.sub(min).add(NORMALISATION_EPS));
      return device.gather(pairs.images(), pairs.scope()).mul(mask.expandDims(1));
    }

    /**
     * The [size, n] weights of bilinear interpolation with corners aligned from n cells to size
     * pixels (PyTorch's {@code UpsamplingBilinear2d}): pixel i samples position i (n − 1) / (size −
     * 1).
     */
    private static NDArray alignedCorners(int n, int size, DeviceBatch device) {
      float[] w = new float[size * n];
      float scale = size > 1 ? (float) (n - 1) / (size - 1) : 0f;
      for (int i = 0; i < size; i++) {
        float src = scale * i;
        int i0 = Math.min((int) src, n - 1);
        int i1 = Math.min(i0 + 1, n - 1);
        float frac = src - i0;
        w[i * n + i0] += 1f - frac;
        w[i * n + i1] += frac;
      }
      return device.manager().create(w, new Shape(size, n));
    }

    @Override
    public Probe probe() {
      return Probes.FORWARD;
    }

    @Override
    public void accumulate(DeviceBatch device, MicroBatch outputs) {
      for (int k = 0; k < outputs.size(); k++) {
        int image = outputs.image(k);
        scores[image][outputs.sample(k)] = outputs.logit(k, batch.target(image));
      }
    }

    @Override
    public NDArray maps(DeviceBatch device) {
      int channels = samplesPerImage();
      double[] w = new double[batch.size() * channels];
      for (int i = 0; i < batch.size(); i++) {
        double[] s = scores[i];
        double max = java.util.Arrays.stream(s).max().orElse(0);
        double sum = 0;
        for (int k = 0; k < channels; k++) {
          sum += Math.exp(s[k] - max);
        }
        for (int k = 0; k < channels; k++) {
          w[i * channels + k] = Math.exp(s[k] - max) / sum;
        }
      }
      NDArray weights = device.manager().create(w, new Shape(batch.size(), channels));
      return CamMaps.cam(activations.toType(DataType.FLOAT64, false), weights, batch.imageSize());
    }
  }
}
