package org.sparksaliency.job.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.sparksaliency.job.method.DeviceBatch;
import org.sparksaliency.job.method.SampleScheduler;
import org.sparksaliency.job.model.TorchModel;

/**
 * Gradient flow and activations per layer, one image at a time, on the model owner thread. For
 * every layer with a weight (a parameter named {@code <layer>.weight}): the mean |d(predicted
 * logit)/d weight| of the image, and the mean and the fraction of exact zeros of the layer's
 * activation, which the model reports through its exported {@code layer_activations(x) -> Dict[str,
 * Tensor]} (layer path to activation).
 *
 * <p>The images go through the model in micro-batches of the job's {@link SampleScheduler}, like
 * every other model pass: it halves the micro-batch when the device runs out of memory. Parameter
 * gradients are on only inside a micro-batch's pass, and each image gets its own backward pass
 * ({@link LayerProbe}).
 */
public final class LayerStatistics {
  public static final String MODEL_METHOD = "layer_activations";
  static final String WEIGHT_SUFFIX = ".weight";
  static final String EXPORT_HINT =
      "export it with sample-data/export_torchvision.py --layer-activations (torchvision ResNet/VGG) or "
          + "sample-data/export_sample_guided.py (the sample model); see sample-data/guided_contract.py";

  /**
   * One image's values, by layer in {@link #layers} order; NaN where the layer has no weight or the
   * model reported no activation for it.
   */
  public record ImageLayers(
      int predicted,
      float[] meanAbsWeightGrad,
      float[] activationMean,
      float[] activationZeroFraction) {}

  private final int imageSize;
  private final SampleScheduler scheduler;

  public LayerStatistics(int imageSize, int microBatchSize) {
    this(imageSize, SampleScheduler.of(microBatchSize));
  }

  /** With the micro-batches of {@code scheduler} (for {@code imageSize}² images). */
  public LayerStatistics(int imageSize, SampleScheduler scheduler) {
    this.imageSize = imageSize;
    this.scheduler = scheduler;
  }

  /**
   * Fails, naming the option and how to export the method, if the model has no {@code
   * layer_activations}.
   */
  public static void checkModel(TorchModel model) {
    model.requireMethods(List.of(MODEL_METHOD), "--layer-stats", EXPORT_HINT);
  }

  /**
   * From now on, one image per model pass: the engine fallback when batched passes failed the
   * self-check.
   */
  public void useOneSamplePasses() {
    scheduler.limitMicroBatchSize(1);
  }

  /**
   * The layers of {@code model}, in order: those with a weight in parameter order, then those the
   * model reports activations for without a weight, by name.
   */
  public List<String> layers(TorchModel model) {
    List<String> out = new ArrayList<>();
    model.withParameterGradients(
        params -> {
          for (NDArray p : params) {
            if (p.getName().endsWith(WEIGHT_SUFFIX)) {
              out.add(layerOf(p.getName()));
            }
          }
          return null;
        });
    try (NDManager scope = model.manager().newSubManager()) {
      NDArray x = scope.zeros(new Shape(1, 3, imageSize, imageSize));
      NDList acts = model.callForNamed(MODEL_METHOD, x);
      acts.attach(scope);
      TreeSet<String> extra = new TreeSet<>();
      for (NDArray a : acts) {
        if (!out.contains(a.getName())) {
          extra.add(a.getName());
        }
      }
      out.addAll(extra);
    }
    return out;
  }

  /**
   * Values for each image (normalised CHW, 3 × imageSize × imageSize), in the scheduler's
   * micro-batches.
   */
  public List<ImageLayers> compute(TorchModel model, List<String> layers, List<float[]> inputs) {
    LayerStatsWork work = new LayerStatsWork(inputs, layers);
    try (DeviceBatch batch = DeviceBatch.upload(model, inputs, imageSize)) {
      scheduler.run(batch, work, new int[inputs.size()]);
    }
    return work.results();
  }

  static String layerOf(String parameterName) {
    return parameterName.substring(0, parameterName.length() - WEIGHT_SUFFIX.length());
  }
}
