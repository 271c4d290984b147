package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Ablation-CAM (Desai &amp; Ramaswamy 2020, "Ablation-CAM: visual explanations for deep
 * convolutional network via gradient-free localization"), with the formula of pytorch-grad-cam's
 * {@code pytorch_grad_cam/ablation_cam.py}: y is the target logit of head(A), y_k that of head(A
 * with channel k ablated), the weights are w_k = (y − y_k) / y and map = ReLU(Σ_k w_k A_k),
 * upsampled bilinearly (half-pixel centres) to the input. As in its {@code ablation_layer.py}, a
 * channel is ablated to 0 when the image's activations have minimum 0 (the usual activations after
 * a ReLU), otherwise to min(A) − 1e7; pytorch-grad-cam's in-place loop lowers that value by a
 * further 1e7 for each later channel of a chunk, which is not copied here.
 *
 * <p>The model is split into features and head (the model contract), so A = features(x) is computed
 * once per batch ({@link BatchFeatures}) and only the head runs per sample: sample 0 is A itself,
 * sample k + 1 ablates channel k. Forward-only (autograd off).
 */
final class AblationCamMethod implements SaliencyMethod {
  static final String NAME = "ablationcam";
  private static final double ABLATION_VALUE = 1e7;

  /** The head's logits on ablated activations, with autograd off. */
  private static final Probe HEAD =
      (model, a, targets) ->
          new ProbeResult(Probes.logits(model, model.callWithoutGraph("head", a), a), List.of());

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
    private float[] ablated;
    private double[] scores;
    private double[][] ablatedScores;

    Plan(ExplainBatch batch) {
      this.batch = batch;
    }

    @Override
    public void prepare(DeviceBatch device) {
      activations = BatchFeatures.of(device, NAME);
      Shape s = activations.getShape();
      float[] min = activations.reshape(s.get(0), -1).min(new int[] {1}).toFloatArray();
      ablated = new float[min.length];
      for (int i = 0; i < min.length; i++) {
        ablated[i] = min[i] == 0f ? 0f : (float) (min[i] - ABLATION_VALUE);
      }
      scores = new double[batch.size()];
      ablatedScores = new double[batch.size()][(int) s.get(1)];
    }

    /** A itself, then one sample per channel. */
    @Override
    public int samplesPerImage() {
      return 1 + ablatedScores[0].length;
    }

    /** Each pair's activations, channel sample − 1 set to the ablation value by one op. */
    @Override
    public NDArray inputs(DeviceBatch device, MicroBatch pairs) {
      NDArray a = DeviceBatch.rows(activations, pairs.images(), pairs.scope());
      for (int k = 0; k < pairs.size(); k++) {
        int sample = pairs.sample(k);
        if (sample > 0) {
          a.set(new NDIndex(k + ", " + (sample - 1)), ablated[pairs.image(k)]);
        }
      }
      return a;
    }

    @Override
    public Probe probe() {
      return HEAD;
    }

    @Override
    public void accumulate(DeviceBatch device, MicroBatch outputs) {
      for (int k = 0; k < outputs.size(); k++) {
        int image = outputs.image(k);
        double y = outputs.logit(k, batch.target(image));
        if (outputs.sample(k) == 0) {
          scores[image] = y;
        } else {
          ablatedScores[image][outputs.sample(k) - 1] = y;
        }
      }
    }

    @Override
    public NDArray maps(DeviceBatch device) {
      int channels = ablatedScores[0].length;
      double[] w = new double[batch.size() * channels];
      for (int i = 0; i < batch.size(); i++) {
        for (int k = 0; k < channels; k++) {
          w[i * channels + k] = (scores[i] - ablatedScores[i][k]) / scores[i];
        }
      }
      NDArray weights = device.manager().create(w, new Shape(batch.size(), channels));
      return CamMaps.cam(activations.toType(DataType.FLOAT64, false), weights, batch.imageSize());
    }
  }
}
