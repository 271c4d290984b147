package org.sparksaliency.job.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sparksaliency.job.method.Probe;
import org.sparksaliency.job.method.ProbeResult;
import org.sparksaliency.job.model.TorchModel;

/**
 * The per-layer values of one micro-batch of m images, on the model owner thread: the mean and the
 * share of exact zeros of each layer's activation (from the model's {@code layer_activations}),
 * then, with parameter gradients on, one backward pass per image from its own predicted logit (the
 * graph of the micro-batch is kept between them), reading and zeroing the weight gradients after
 * each image, so one image's values never mix with another's. Gives the logits [m, classes] and the
 * values [mean |dW|, activation mean, zero fraction], each [m, layers], NaN where a layer has no
 * weight or no reported activation.
 */
final class LayerProbe implements Probe {
  static final int WEIGHT_GRAD = 0;
  static final int ACTIVATION_MEAN = 1;
  static final int ZERO_FRACTION = 2;

  private final List<String> layers;

  LayerProbe(List<String> layers) {
    this.layers = List.copyOf(layers);
  }

  /** The targets are not used: every image is differentiated at its predicted class. */
  @Override
  public ProbeResult run(TorchModel model, NDArray x, int[] targets) {
    int n = Math.toIntExact(x.getShape().get(0));
    float[][] actMean = nanRows(n);
    float[][] actZero = nanRows(n);
    activations(model, x, actMean, actZero);
    float[][] grads = nanRows(n);
    float[] logits = weightGradients(model, x, grads);
    NDManager scope = x.getManager();
    Shape perLayer = new Shape(n, layers.size());
    return new ProbeResult(
        scope.create(logits, new Shape(n, logits.length / n)),
        List.of(
            scope.create(flat(grads), perLayer),
            scope.create(flat(actMean), perLayer),
            scope.create(flat(actZero), perLayer)));
  }

  private void activations(TorchModel model, NDArray x, float[][] mean, float[][] zeroFraction) {
    int n = mean.length;
    try (NDManager scope = x.getManager().newSubManager()) {
      NDList acts = model.callForNamed(LayerStatistics.MODEL_METHOD, x);
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

  /** Fills mean |dW| per image and layer; returns the logits, [n, classes] row-major. */
  private float[] weightGradients(TorchModel model, NDArray x, float[][] grads) {
    return model.withParameterGradients(
        params -> {
          Map<Integer, NDArray> weights = new HashMap<>();
          for (NDArray p : params) {
            int l =
                p.getName().endsWith(LayerStatistics.WEIGHT_SUFFIX)
                    ? layers.indexOf(LayerStatistics.layerOf(p.getName()))
                    : -1;
            if (l >= 0) {
              weights.put(l, p);
            }
          }
          try (NDManager scope = x.getManager().newSubManager()) {
            NDArray logits = model.call("forward", x);
            logits.attach(scope);
            int n = grads.length;
            float[] values = logits.toFloatArray();
            int[] predicted = argmaxRows(values, n);
            for (int i = 0; i < n; i++) {
              NDArray target = logits.get(i, predicted[i]);
              if (i < n - 1) {
                TorchModel.backwardKeepingGraph(target);
              } else {
                TorchModel.backward(target);
              }
              for (Map.Entry<Integer, NDArray> w : weights.entrySet()) {
                // Its own scope: |g| is as large as the weight and must not wait for the batch to
                // end.
                try (NDManager gradScope = scope.newSubManager()) {
                  NDArray g = w.getValue().getGradient();
                  g.attach(gradScope);
                  grads[i][w.getKey()] = g.abs().mean().getFloat();
                  g.muli(0f);
                }
              }
            }
            return values;
          }
        });
  }

  /** Each row's class of highest logit (the first on ties). */
  static int[] argmaxRows(float[] logits, int n) {
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

  private float[][] nanRows(int n) {
    float[][] out = new float[n][layers.size()];
    for (float[] row : out) {
      Arrays.fill(row, Float.NaN);
    }
    return out;
  }

  private static float[] flat(float[][] rows) {
    int width = rows.length == 0 ? 0 : rows[0].length;
    float[] out = new float[rows.length * width];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * width, width);
    }
    return out;
  }
}
