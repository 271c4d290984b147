package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
        config.mapSize());
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

  /** The wanted target "the class the model ranks {@code rank}th" (1 = {@link #PREDICTED}). */
  public static int ranked(int rank) {
    if (rank < 1) {
      throw new IllegalArgumentException("Cannot rank a class " + rank + "th: ranks start at 1");
    }
    return -rank;
  }

  /**
   * One target per image.
   *
   * @param inputs normalised CHW images, each 3 × imageSize × imageSize
   * @param wanted per image, a class index or {@link #PREDICTED}
   * @param imageIds per image, the id that seeds its random draws (with --seed)
   */
  public List<ImageExplanation> explain(
      TorchModel model, List<float[]> inputs, int[] wanted, List<String> imageIds) {
    List<int[]> each = new ArrayList<>(wanted.length);
    for (int w : wanted) {
      each.add(new int[] {w});
    }
    return explainTargets(model, inputs, each, imageIds).stream().map(l -> l.get(0)).toList();
  }

  /**
   * Several targets per image: the batch is expanded into (image, target) pairs ({@link
   * TargetPairs}) that every method explains as it would images. The prediction comes from the
   * first {@link PredictingMethod}'s own pass, or, when a rank past the first is wanted ({@code
   * --target top:K}), from a forward pass before the methods run.
   *
   * @param inputs normalised CHW images, each 3 × imageSize × imageSize
   * @param wanted per image, its targets: class indices or {@link #ranked} ranks
   * @param imageIds per image, the id that seeds its random draws (with --seed)
   * @return per image, one explanation per wanted target, in the order wanted
   */
  public List<List<ImageExplanation>> explainTargets(
      TorchModel model, List<float[]> inputs, List<int[]> wanted, List<String> imageIds) {
    if (wanted.size() != inputs.size() || imageIds.size() != inputs.size()) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot explain %d images with %d target lists and %d ids",
              inputs.size(), wanted.size(), imageIds.size()));
    }
    TargetPairs pairs = new TargetPairs(wanted);
    try (DeviceBatch device =
        DeviceBatch.uploadPairs(model, pairs.perPair(inputs), imageSize, pairs.images())) {
      return explainPairs(device, inputs, pairs, imageIds);
    }
  }

  private List<List<ImageExplanation>> explainPairs(
      DeviceBatch device, List<float[]> inputs, TargetPairs pairs, List<String> imageIds) {
    TorchModel model = device.model();
    int n = pairs.size();
    List<float[]> xs = pairs.perPair(inputs);
    List<String> ids = pairs.perPair(imageIds);
    int[] pairWanted = pairs.wanted();
    // The first method whose own pass computes the images' logits gives the prediction: no separate
    // forward, unless ranks past the first must be known before any method runs.
    SaliencyMethod predictor =
        pairs.maxRank() > 1
            ? null
            : methods.stream().filter(m -> m instanceof PredictingMethod).findFirst().orElse(null);
    OneSamplePlan predictorPlan = null;
    Prediction[] predictions;
    if (predictor == null) {
      ExplainBatch images =
          new ExplainBatch(inputs, new int[inputs.size()], imageIds, imageSize, mean, std, options);
      predictions =
          ForwardPass.predictions(scheduler, model, images, Math.max(TOP_K, pairs.maxRank()));
    } else {
      predictorPlan =
          (OneSamplePlan)
              predictor.plan(new ExplainBatch(xs, pairWanted, ids, imageSize, mean, std, options));
      scheduler.run(device, predictorPlan, pairWanted);
      predictions = new Prediction[inputs.size()];
      for (int i = 0; i < predictions.length; i++) {
        predictions[i] = predictorPlan.prediction(pairs.first(i));
      }
    }
    int[] targets = pairs.resolve(predictions);
    ExplainBatch batch = new ExplainBatch(xs, targets, ids, imageSize, mean, std, options);
    PairOutputs outputs = new PairOutputs(n);
    for (SaliencyMethod method : methods) {
      SamplePlan plan = method == predictor ? predictorPlan : method.plan(batch);
      if (method != predictor) {
        scheduler.run(device, plan, targets);
      }
      NDArray methodMaps = plan.maps(device);
      outputs.add(method.name(), plan, grid.toHost(methodMaps));
      if (evaluate.curves()) {
        // The curves rank the pixels of the maps at input resolution.
        List<float[]> inputMaps = List.of(new MapGrid(imageSize, imageSize).toHost(methodMaps));
        FaithfulnessPlan faithfulness = new FaithfulnessPlan(batch, inputMaps, evaluate);
        scheduler.run(device, faithfulness, targets);
        outputs.addCurves(method.name(), faithfulness);
      }
    }
    List<ImageExplanation> out = new ArrayList<>(n);
    for (int p = 0; p < n; p++) {
      Prediction prediction = predictions[pairs.image(p)].limited(TOP_K);
      out.add(outputs.explanation(p, prediction, targets[p], pairs.rank(p)));
    }
    return pairs.byImage(out);
  }
}
