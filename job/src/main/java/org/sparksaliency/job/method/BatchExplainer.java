package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.sparksaliency.job.model.EngineVerdict;
import org.sparksaliency.job.model.ModelException;
import org.sparksaliency.job.model.TorchErrors;
import org.sparksaliency.job.model.TorchModel;

/**
 * Runs prediction and every requested method over a batch of images on the model owner thread.
 * Every model pass goes through one {@link SampleScheduler}: micro-batches of at most the
 * micro-batch size, each in its own native memory scope.
 */
public final class BatchExplainer {
  /** Marks an image whose target is its predicted class. */
  public static final int PREDICTED = -1;

  static final int TOP_K = 5;
  private static final float[] IDENTITY_MEAN = {0f, 0f, 0f};
  private static final float[] IDENTITY_STD = {1f, 1f, 1f};

  private final List<SaliencyMethod> methods;
  private final int imageSize;
  private final float[] mean;
  private final float[] std;
  private final MethodOptions options;
  private final SampleScheduler scheduler;
  private final MapGrid grid;
  private final EvaluateOptions evaluate;
  private final EngineCheck engineCheck;

  /**
   * With the default method options, for inputs used as given (normalisation mean 0, std 1: only
   * the uniform IG baseline and the SmoothGrad noise scale depend on it).
   */
  public BatchExplainer(List<String> methodNames, int imageSize, int microBatchSize) {
    this(methodNames, MethodOptions.DEFAULTS, imageSize, microBatchSize);
  }

  /** With the given method options, for inputs used as given (normalisation mean 0, std 1). */
  public BatchExplainer(
      List<String> methodNames, MethodOptions options, int imageSize, int microBatchSize) {
    this(
        methodNames,
        options,
        imageSize,
        microBatchSize,
        IDENTITY_MEAN,
        IDENTITY_STD,
        MicroBatchRunner.DIRECT);
  }

  /**
   * For the job: methods, sizes, normalisation and method options from the validated configuration.
   */
  public BatchExplainer(ExplainConfig config) {
    this(config, EngineFault.NONE);
  }

  /** For the job's tests: every model pass goes through an engine with {@code fault}. */
  public BatchExplainer(ExplainConfig config, EngineFault fault) {
    this(
        config.methods(),
        config.methodOptions(),
        config.imageSize(),
        config.microBatchSize(),
        config.mean(),
        config.std(),
        fault.runner(),
        config.evaluate(),
        config.heatmapSize());
  }

  BatchExplainer(
      List<String> methodNames,
      MethodOptions options,
      int imageSize,
      int microBatchSize,
      float[] mean,
      float[] std,
      MicroBatchRunner runner) {
    this(
        methodNames,
        options,
        imageSize,
        microBatchSize,
        mean,
        std,
        runner,
        EvaluateOptions.NONE,
        imageSize);
  }

  /**
   * With deletion/insertion curves per map when {@code evaluate} asks for them, and maps given at
   * {@code gridSize} × {@code gridSize} (area-averaged on the device; imageSize: as computed).
   */
  BatchExplainer(
      List<String> methodNames,
      MethodOptions options,
      int imageSize,
      int microBatchSize,
      float[] mean,
      float[] std,
      MicroBatchRunner runner,
      EvaluateOptions evaluate,
      int gridSize) {
    this.evaluate = evaluate;
    this.grid = new MapGrid(imageSize, gridSize);
    this.methods = methodNames.stream().map(name -> MethodRegistry.create(name, options)).toList();
    this.options = options;
    this.imageSize = imageSize;
    this.mean = mean.clone();
    this.std = std.clone();
    this.scheduler = new SampleScheduler(microBatchSize, runner);
    this.engineCheck = new EngineCheck(imageSize, runner);
  }

  /**
   * Runs the engine self-check ({@link EngineCheck}) on the model owner thread: on {@code images}
   * (normalised CHW, as for {@link #explain}), topped up with seeded synthetic images to at least
   * two; with none, on synthetic images only.
   *
   * @param check the check's name in the verdict
   */
  public EngineVerdict checkEngine(TorchModel model, String check, List<float[]> images) {
    List<float[]> xs =
        new ArrayList<>(images.subList(0, Math.min(EngineCheck.SAMPLES, images.size())));
    if (xs.size() < EngineCheck.SAMPLES) {
      xs.addAll(EngineCheck.syntheticImages(imageSize, mean, std, EngineCheck.SAMPLES - xs.size()));
    }
    return engineCheck.run(model, check, xs);
  }

  /**
   * From now on, one sample per model pass: the engine fallback when batched passes failed the
   * check.
   */
  public void useOneSamplePasses() {
    scheduler.limitMicroBatchSize(1);
  }

  /** Fails, naming the model and the missing methods, if the model lacks what a method needs. */
  public void checkModel(TorchModel model) {
    for (SaliencyMethod m : methods) {
      model.requireMethods(m.requiredModelMethods(), "--methods " + m.name(), m.exportHint());
    }
  }

  /**
   * Runs one image of zeros through everything, so TorchScript's first optimising runs happen here
   * and a model that cannot take this input fails once, with a message naming the model, the input
   * and the cause.
   */
  public void warmUp(TorchModel model) {
    checkModel(model);
    try {
      explain(
          model,
          List.of(new float[3 * imageSize * imageSize]),
          new int[] {PREDICTED},
          List.of("warm-up"));
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

  /** The scheduler's current micro-batch size (halved after out-of-memory errors). */
  public int microBatchSize() {
    return scheduler.microBatchSize();
  }

  /** {@link #explain(TorchModel, List, int[], List)} with every image seeded by the id "". */
  public List<ImageExplanation> explain(TorchModel model, List<float[]> inputs, int[] targets) {
    return explain(model, inputs, targets, Collections.nCopies(inputs.size(), ""));
  }

  /**
   * @param inputs normalised CHW images, each 3 × imageSize × imageSize
   * @param wanted per image, a class index or {@link #PREDICTED}
   * @param imageIds per image, the id that seeds its random draws (with --seed)
   */
  public List<ImageExplanation> explain(
      TorchModel model, List<float[]> inputs, int[] wanted, List<String> imageIds) {
    try (DeviceBatch device = DeviceBatch.upload(model, inputs, imageSize)) {
      return explain(device, inputs, wanted, imageIds);
    }
  }

  private List<ImageExplanation> explain(
      DeviceBatch device, List<float[]> inputs, int[] wanted, List<String> imageIds) {
    int n = inputs.size();
    // The first method whose own pass computes the images' logits gives the prediction: no separate
    // forward.
    SaliencyMethod predictor =
        methods.stream().filter(m -> m instanceof PredictingMethod).findFirst().orElse(null);
    OneSamplePlan predictorPlan = null;
    Prediction[] predictions;
    if (predictor == null) {
      predictions = predict(device, inputs, imageIds);
    } else {
      predictorPlan =
          (OneSamplePlan)
              predictor.plan(
                  new ExplainBatch(inputs, wanted, imageIds, imageSize, mean, std, options));
      scheduler.run(device, predictorPlan, wanted);
      predictions = new Prediction[n];
      for (int i = 0; i < n; i++) {
        predictions[i] = predictorPlan.prediction(i);
      }
    }
    int[] targets = new int[n];
    for (int i = 0; i < n; i++) {
      targets[i] = wanted[i] == PREDICTED ? predictions[i].predicted() : wanted[i];
      int classes = predictions[i].probabilities().length;
      if (targets[i] < 0 || targets[i] >= classes) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot explain class %d: the model has %d classes", targets[i], classes));
      }
    }
    ExplainBatch batch = new ExplainBatch(inputs, targets, imageIds, imageSize, mean, std, options);
    List<Map<String, float[]>> maps = new ArrayList<>(n);
    List<Map<String, Double>> errors = new ArrayList<>(n);
    List<Map<String, Faithfulness>> curves = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      maps.add(new LinkedHashMap<>());
      errors.add(new LinkedHashMap<>());
      curves.add(new LinkedHashMap<>());
    }
    for (SaliencyMethod method : methods) {
      SamplePlan plan = method == predictor ? predictorPlan : method.plan(batch);
      if (method != predictor) {
        scheduler.run(device, plan, targets);
      }
      NDArray methodMaps = plan.maps(device);
      float[][] gridMaps = grid.toHost(methodMaps);
      for (int i = 0; i < n; i++) {
        maps.get(i).put(method.name(), gridMaps[i]);
        OptionalDouble e = plan.completenessError(i);
        if (e.isPresent()) {
          errors.get(i).put(method.name(), e.getAsDouble());
        }
      }
      if (evaluate.curves()) {
        // The curves rank the pixels of the maps at input resolution.
        List<float[]> inputMaps = List.of(new MapGrid(imageSize, imageSize).toHost(methodMaps));
        FaithfulnessPlan faithfulness = new FaithfulnessPlan(batch, inputMaps, evaluate);
        scheduler.run(device, faithfulness, targets);
        for (int i = 0; i < n; i++) {
          curves.get(i).put(method.name(), faithfulness.curves(i));
        }
      }
    }
    List<ImageExplanation> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(
          new ImageExplanation(
              predictions[i], targets[i], maps.get(i), errors.get(i), curves.get(i)));
    }
    return out;
  }

  private Prediction[] predict(DeviceBatch device, List<float[]> inputs, List<String> imageIds) {
    int n = inputs.size();
    int[] none = new int[n];
    ExplainBatch batch = new ExplainBatch(inputs, none, imageIds, imageSize, mean, std, options);
    Prediction[] predictions = new Prediction[n];
    OneSamplePlan plan =
        new OneSamplePlan(
            batch,
            Probes.FORWARD,
            (image, out, row) -> {
              predictions[image] = Prediction.fromLogits(out.logits(row), TOP_K);
              return null;
            });
    scheduler.run(device, plan, none);
    return predictions;
  }
}
