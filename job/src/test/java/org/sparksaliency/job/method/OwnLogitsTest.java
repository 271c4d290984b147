package org.sparksaliency.job.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.model.ExecutorModels;
import org.sparksaliency.job.model.HadoopConf;
import org.sparksaliency.job.model.ModelFiles;
import org.sparksaliency.job.model.ModelOwner;
import org.sparksaliency.job.model.ModelSpec;
import org.sparksaliency.job.model.TorchModel;

/**
 * The batch's prediction taken from gradient's or Grad-CAM's own pass (PredictingMethod) gives the
 * same predictions, targets and maps (within 1e-5) as the path it replaced: a separate forward pass
 * for the prediction, then each method with those targets.
 */
class OwnLogitsTest {
  private static final Path MODELS = Path.of("src/test/resources/models");
  private static final int SIZE = 16;
  private static final int[] WANTED = {
    BatchExplainer.PREDICTED, 1, BatchExplainer.PREDICTED, BatchExplainer.PREDICTED
  };
  private static ModelOwner owner;
  private static List<float[]> inputs;

  @BeforeAll
  static void load() {
    String uri = MODELS.resolve("tiny_smooth.pt").toAbsolutePath().toUri().toString();
    Configuration conf = new Configuration();
    owner =
        ExecutorModels.acquire(
            new ModelSpec(uri, ModelFiles.sha256(uri, conf), 1, new HadoopConf(conf)),
            "cpu",
            m -> {});
    inputs = new ArrayList<>();
    for (int k = 0; k < WANTED.length; k++) {
      float[] x = new float[3 * SIZE * SIZE];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) Math.sin(0.1 * i + 0.7 * k) * (1 + k);
      }
      inputs.add(x);
    }
  }

  @Test
  void gradientAloneMatchesSeparateForward() {
    assertSameAsSeparateForward(List.of("gradient"));
  }

  @Test
  void gradcamAloneMatchesSeparateForward() {
    assertSameAsSeparateForward(List.of("gradcam"));
  }

  @Test
  void bothMethodsInEitherOrderMatchSeparateForward() {
    assertSameAsSeparateForward(List.of("gradient", "gradcam"));
    assertSameAsSeparateForward(List.of("gradcam", "gradient"));
  }

  private static void assertSameAsSeparateForward(List<String> methods) {
    List<ImageExplanation> got =
        owner.call(
            m -> new BatchExplainer(methods, SIZE, WANTED.length).explain(m, inputs, WANTED));
    List<ImageExplanation> expected = owner.call(m -> separateForward(m, methods));
    assertThat(got).hasSize(WANTED.length);
    for (int i = 0; i < WANTED.length; i++) {
      ImageExplanation g = got.get(i);
      ImageExplanation e = expected.get(i);
      assertThat(g.target()).isEqualTo(e.target());
      assertThat(g.prediction().topClasses()).containsExactly(e.prediction().topClasses());
      assertClose(g.prediction().probabilities(), e.prediction().probabilities());
      assertThat(g.maps().keySet()).containsExactlyElementsOf(methods);
      for (String method : methods) {
        assertClose(g.maps().get(method), e.maps().get(method));
      }
    }
    assertThat(got.get(1).target()).isEqualTo(1);
  }

  /**
   * The replaced path: a forward pass for the prediction, then each method's plan with the chosen
   * targets.
   */
  private static List<ImageExplanation> separateForward(TorchModel model, List<String> methods) {
    int n = inputs.size();
    List<String> ids = java.util.Collections.nCopies(n, "");
    SampleScheduler scheduler = new SampleScheduler(n, MicroBatchRunner.DIRECT);
    try (DeviceBatch device = DeviceBatch.upload(model, inputs, SIZE)) {
      return separateForward(device, methods, scheduler, ids);
    }
  }

  private static List<ImageExplanation> separateForward(
      DeviceBatch device, List<String> methods, SampleScheduler scheduler, List<String> ids) {
    int n = inputs.size();
    float[] zero = {0f, 0f, 0f};
    float[] one = {1f, 1f, 1f};
    Prediction[] predictions = new Prediction[n];
    ExplainBatch unknown =
        new ExplainBatch(inputs, new int[n], ids, SIZE, zero, one, MethodOptions.DEFAULTS);
    scheduler.run(
        device,
        new OneSamplePlan(
            unknown,
            Probes.FORWARD,
            (image, out, row) -> {
              predictions[image] = Prediction.fromLogits(out.logits(row), 5);
              return null;
            }),
        new int[n]);
    int[] targets = new int[n];
    for (int i = 0; i < n; i++) {
      targets[i] = WANTED[i] == BatchExplainer.PREDICTED ? predictions[i].predicted() : WANTED[i];
    }
    ExplainBatch batch =
        new ExplainBatch(inputs, targets, ids, SIZE, zero, one, MethodOptions.DEFAULTS);
    List<java.util.Map<String, float[]>> maps = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      maps.add(new java.util.LinkedHashMap<>());
    }
    for (String name : methods) {
      SamplePlan plan = MethodRegistry.create(name).plan(batch);
      scheduler.run(device, plan, targets);
      float[][] planMaps = new MapGrid(SIZE, SIZE).toHost(plan.maps(device));
      for (int i = 0; i < n; i++) {
        maps.get(i).put(name, planMaps[i]);
      }
    }
    List<ImageExplanation> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ImageExplanation(predictions[i], targets[i], maps.get(i), java.util.Map.of()));
    }
    return out;
  }

  private static void assertClose(float[] actual, float[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    float scale = 0;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < actual.length; i++) {
      assertThat(actual[i])
          .as("value %d", i)
          .isCloseTo(expected[i], within(1e-5f * Math.max(1f, scale)));
    }
  }
}
