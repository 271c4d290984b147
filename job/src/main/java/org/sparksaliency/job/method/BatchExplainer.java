package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.sparksaliency.job.model.ModelException;
import org.sparksaliency.job.model.TorchErrors;
import org.sparksaliency.job.model.TorchModel;

/**
 * Runs prediction and every requested method over a batch of images on the model owner thread, in
 * micro-batches of at most {@code microBatchSize} samples, each in its own native memory scope.
 */
public final class BatchExplainer {
  /** Marks an image whose target is its predicted class. */
  public static final int PREDICTED = -1;

  private static final int TOP_K = 5;

  private final List<SaliencyMethod> methods;
  private final int imageSize;
  private final int microBatchSize;

  public BatchExplainer(List<String> methodNames, int imageSize, int microBatchSize) {
    this(methodNames, MethodOptions.DEFAULTS, imageSize, microBatchSize);
  }

  public BatchExplainer(List<String> methodNames, MethodOptions options, int imageSize, int microBatchSize) {
    this.methods = methodNames.stream().map(name -> MethodRegistry.create(name, options)).toList();
    this.imageSize = imageSize;
    this.microBatchSize = microBatchSize;
  }

  /** Fails, naming the model and the missing methods, if the model lacks what a method needs. */
  public void checkModel(TorchModel model) {
    for (SaliencyMethod m : methods) {
      model.requireMethods(m.requiredModelMethods(), "--methods " + m.name(), m.exportHint());
    }
  }

  /**
   * Runs one image of zeros through everything, so TorchScript's first optimising runs happen here and a
   * model that cannot take this input fails once, with a message naming the model, the input and the cause.
   */
  public void warmUp(TorchModel model) {
    checkModel(model);
    try {
      explain(model, List.of(new float[3 * imageSize * imageSize]), new int[] {PREDICTED});
    } catch (ModelException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ModelException(
          model.uri(),
          String.format(
              "it fails on a [1, 3, %d, %d] input (--image-size %d; methods %s): %s",
              imageSize, imageSize, imageSize, String.join(", ", names()), TorchErrors.cause(e)),
          e);
    }
  }

  private List<String> names() {
    return methods.stream().map(SaliencyMethod::name).toList();
  }

  /**
   * @param inputs normalised CHW images, each 3 × imageSize × imageSize
   * @param targets per image, a class index or {@link #PREDICTED}
   */
  public List<ImageExplanation> explain(TorchModel model, List<float[]> inputs, int[] targets) {
    List<ImageExplanation> out = new ArrayList<>(inputs.size());
    for (int start = 0; start < inputs.size(); start += microBatchSize) {
      int end = Math.min(inputs.size(), start + microBatchSize);
      out.addAll(explainMicroBatch(model, inputs.subList(start, end), slice(targets, start, end)));
    }
    return out;
  }

  private List<ImageExplanation> explainMicroBatch(TorchModel model, List<float[]> inputs, int[] wanted) {
    int n = inputs.size();
    int per = 3 * imageSize * imageSize;
    float[] data = new float[n * per];
    for (int i = 0; i < n; i++) {
      float[] img = inputs.get(i);
      if (img.length != per) {
        throw new IllegalArgumentException(
            String.format("Cannot explain image %d: %d values, expected 3x%dx%d", i, img.length, imageSize, imageSize));
      }
      System.arraycopy(img, 0, data, i * per, per);
    }
    try (NDManager scope = model.manager().newSubManager()) {
      NDArray x = scope.create(data, new Shape(n, 3, imageSize, imageSize));
      Prediction[] predictions = new Prediction[n];
      int[] targets = new int[n];
      Function<NDArray, int[]> predict =
          logits -> {
            predict(model, logits, wanted, predictions, targets);
            return targets;
          };
      List<Map<String, float[]>> maps = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        maps.add(new LinkedHashMap<>());
      }
      SaliencyMethod predictor = methods.stream().filter(m -> m instanceof OwnLogits).findFirst().orElse(null);
      if (predictor == null) {
        predict.apply(model.call("forward", x));
      }
      for (SaliencyMethod method : methods) {
        float[][] m =
            method == predictor
                ? ((OwnLogits) method).explainChoosingTargets(model, x, predict)
                : method.explain(model, x, targets);
        for (int i = 0; i < n; i++) {
          maps.get(i).put(method.name(), m[i]);
        }
      }
      List<ImageExplanation> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(new ImageExplanation(predictions[i], targets[i], maps.get(i)));
      }
      return out;
    }
  }

  /**
   * Fills each sample's prediction and target from logits [n, classes]. The prediction comes from the first
   * {@link OwnLogits} method's own pass when there is one (forward == head(features) by the model contract),
   * so the batch needs no separate forward pass.
   */
  private static void predict(TorchModel model, NDArray output, int[] wanted, Prediction[] predictions, int[] targets) {
    int n = wanted.length;
    Shape shape = output.getShape();
    if (shape.dimension() != 2 || shape.get(0) != n || shape.get(1) < 1) {
      throw new ModelException(
          model.uri(),
          String.format("forward returned shape %s for %d images; the model contract is [N, classes] logits", shape, n),
          null);
    }
    float[] logits = output.toFloatArray();
    int classes = logits.length / n;
    for (int i = 0; i < n; i++) {
      float[] row = java.util.Arrays.copyOfRange(logits, i * classes, (i + 1) * classes);
      predictions[i] = Prediction.fromLogits(row, TOP_K);
      targets[i] = wanted[i] == PREDICTED ? predictions[i].predicted() : wanted[i];
    }
  }

  private static int[] slice(int[] a, int from, int to) {
    return java.util.Arrays.copyOfRange(a, from, to);
  }
}
