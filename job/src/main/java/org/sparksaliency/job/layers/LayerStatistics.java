package org.sparksaliency.job.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.sparksaliency.job.model.TorchModel;

/**
 * Gradient flow and activations per layer, one image at a time, on the model owner thread. For every layer
 * with a weight (a parameter named {@code <layer>.weight}): the mean |d(predicted logit)/d weight| of the
 * image, and the mean and the fraction of exact zeros of the layer's activation, which the model reports
 * through its exported {@code layer_activations(x) -> Dict[str, Tensor]} (layer path to activation).
 *
 * <p>Parameter gradients are on only inside {@link #compute}: each image gets its own backward pass from
 * its own predicted logit (the graph of the micro-batch is kept between them), and the gradients are zeroed
 * after each image, so one image's values never mix with another's.
 */
public final class LayerStatistics {
  public static final String MODEL_METHOD = "layer_activations";
  static final String WEIGHT_SUFFIX = ".weight";
  static final String EXPORT_HINT =
      "export it with sample-data/export_torchvision.py --layer-activations (torchvision ResNet/VGG) or "
          + "sample-data/export_sample_guided.py (the sample model); see sample-data/guided_contract.py";

  /**
   * One image's values, by layer in {@link #layers} order; NaN where the layer has no weight or the model
   * reported no activation for it.
   */
  public record ImageLayers(
      int predicted, float[] meanAbsWeightGrad, float[] activationMean, float[] activationZeroFraction) {}

  private final int imageSize;
  private final int microBatchSize;

  public LayerStatistics(int imageSize, int microBatchSize) {
    this.imageSize = imageSize;
    this.microBatchSize = microBatchSize;
  }

  /** Fails, naming the option and how to export the method, if the model has no {@code layer_activations}. */
  public static void checkModel(TorchModel model) {
    model.requireMethods(List.of(MODEL_METHOD), "--layer-stats", EXPORT_HINT);
  }

  /**
   * The layers of {@code model}, in order: those with a weight in parameter order, then those the model
   * reports activations for without a weight, by name.
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

  /** Values for each image (normalised CHW, 3 × imageSize × imageSize), in micro-batches. */
  public List<ImageLayers> compute(TorchModel model, List<String> layers, List<float[]> inputs) {
    List<ImageLayers> out = new ArrayList<>(inputs.size());
    for (int start = 0; start < inputs.size(); start += microBatchSize) {
      out.addAll(microBatch(model, layers, inputs.subList(start, Math.min(inputs.size(), start + microBatchSize))));
    }
    return out;
  }

  private List<ImageLayers> microBatch(TorchModel model, List<String> layers, List<float[]> inputs) {
    int n = inputs.size();
    int per = 3 * imageSize * imageSize;
    float[] data = new float[n * per];
    for (int i = 0; i < n; i++) {
      System.arraycopy(inputs.get(i), 0, data, i * per, per);
    }
    try (NDManager scope = model.manager().newSubManager()) {
      NDArray x = scope.create(data, new Shape(n, 3, imageSize, imageSize));
      float[][] actMean = nanRows(n, layers.size());
      float[][] actZero = nanRows(n, layers.size());
      activations(model, x, layers, actMean, actZero);
      float[][] grads = nanRows(n, layers.size());
      int[] predicted = weightGradients(model, x, layers, grads);
      List<ImageLayers> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(new ImageLayers(predicted[i], grads[i], actMean[i], actZero[i]));
      }
      return out;
    }
  }

  private static void activations(
      TorchModel model, NDArray x, List<String> layers, float[][] mean, float[][] zeroFraction) {
    int n = mean.length;
    try (NDManager scope = x.getManager().newSubManager()) {
      NDList acts = model.callForNamed(MODEL_METHOD, x);
      acts.attach(scope);
      for (NDArray a : acts) {
        int l = layers.indexOf(a.getName());
        if (l < 0) {
          continue;
        }
        NDArray flat = a.reshape(n, -1);
        float[] m = flat.mean(new int[] {1}).toFloatArray();
        float[] z = flat.eq(0f).toType(DataType.FLOAT32, false).mean(new int[] {1}).toFloatArray();
        for (int i = 0; i < n; i++) {
          mean[i][l] = m[i];
          zeroFraction[i][l] = z[i];
        }
      }
    }
  }

  /** Fills mean |dW| per image and layer; returns each image's predicted class. */
  private static int[] weightGradients(TorchModel model, NDArray x, List<String> layers, float[][] grads) {
    return model.withParameterGradients(
        params -> {
          Map<Integer, NDArray> weights = new HashMap<>();
          for (NDArray p : params) {
            int l = p.getName().endsWith(WEIGHT_SUFFIX) ? layers.indexOf(layerOf(p.getName())) : -1;
            if (l >= 0) {
              weights.put(l, p);
            }
          }
          try (NDManager scope = x.getManager().newSubManager()) {
            NDArray logits = model.call("forward", x);
            logits.attach(scope);
            int n = grads.length;
            int[] predicted = argmaxRows(logits.toFloatArray(), n);
            for (int i = 0; i < n; i++) {
              NDArray target = logits.get(i, predicted[i]);
              if (i < n - 1) {
                TorchModel.backwardKeepingGraph(target);
              } else {
                TorchModel.backward(target);
              }
              for (Map.Entry<Integer, NDArray> w : weights.entrySet()) {
                // Its own scope: |g| is as large as the weight and must not wait for the batch to end.
                try (NDManager gradScope = scope.newSubManager()) {
                  NDArray g = w.getValue().getGradient();
                  g.attach(gradScope);
                  grads[i][w.getKey()] = g.abs().mean().getFloat();
                  g.muli(0f);
                }
              }
            }
            return predicted;
          }
        });
  }

  static String layerOf(String parameterName) {
    return parameterName.substring(0, parameterName.length() - WEIGHT_SUFFIX.length());
  }

  private static int[] argmaxRows(float[] logits, int n) {
    int classes = logits.length / n;
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (logits[i * classes + c] > logits[i * classes + best]) {
          best = c;
        }
      }
      out[i] = best;
    }
    return out;
  }

  private static float[][] nanRows(int n, int width) {
    float[][] out = new float[n][width];
    for (float[] row : out) {
      java.util.Arrays.fill(row, Float.NaN);
    }
    return out;
  }
}
