package org.sparksaliency.job.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.EngineException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.layers.LayerStatistics;
import org.sparksaliency.job.model.ExecutorModels;
import org.sparksaliency.job.model.ModelOwner;

/**
 * The scheduler's answer to running out of device memory. No GPU here, so a runner in front of the
 * real one raises what DJL raises when libtorch's CUDA allocator fails (an EngineException carrying
 * c10's message) for micro-batches above a size; everything else is the real model owner and model.
 */
class OutOfMemoryRetryTest {
  private static final float[] MEAN = {0f, 0f, 0f};
  private static final float[] STD = {1f, 1f, 1f};
  private static final String CUDA_OOM =
      "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 15.77 GiB total capacity; 13.12 GiB already "
          + "allocated; 1.03 GiB free; 13.50 GiB reserved in total by PyTorch)";
  private static ModelOwner owner;

  @BeforeAll
  static void load() {
    owner = TinyModel.owner();
  }

  /**
   * Fails every micro-batch larger than {@code fits} with {@code message}; records every size it
   * saw.
   */
  private static final class DeviceThatFits implements MicroBatchRunner {
    final int fits;
    final String message;
    final List<Integer> sizes = new ArrayList<>();

    DeviceThatFits(int fits, String message) {
      this.fits = fits;
      this.message = message;
    }

    @Override
    public ProbeResult run(
        org.sparksaliency.job.model.TorchModel model,
        Probe probe,
        ai.djl.ndarray.NDArray x,
        int[] t) {
      int m = Math.toIntExact(x.getShape().get(0));
      sizes.add(m);
      if (m > fits) {
        throw new EngineException(message);
      }
      return DIRECT.run(model, probe, x, t);
    }
  }

  private static final MethodOptions IG16 =
      MethodOptions.DEFAULTS
          .with(IntegratedGradientsMethod.STEPS, 16)
          .with(IntegratedGradientsMethod.BASELINE, IgBaseline.BLACK);
  private static final List<float[]> IMAGES =
      List.of(TinyModel.input(0), TinyModel.input(1), TinyModel.input(2));

  private static List<ImageExplanation> explain(BatchExplainer e) {
    return owner.call(
        m ->
            e.explain(
                m, IMAGES, new int[] {BatchExplainer.PREDICTED, 0, 2}, List.of("a", "b", "c")));
  }

  private static BatchExplainer explainer(int microBatch, MicroBatchRunner runner) {
    return new BatchExplainer(
        List.of("integrated_gradients"), IG16, TinyModel.SIZE, microBatch, MEAN, STD, runner);
  }

  @Test
  void halvesTheMicroBatchUntilItFitsAndGivesTheSameMaps() {
    List<ImageExplanation> expected = explain(explainer(64, MicroBatchRunner.DIRECT));
    DeviceThatFits device = new DeviceThatFits(5, CUDA_OOM);
    BatchExplainer e = explainer(64, device);
    List<ImageExplanation> actual;
    try (LogCapture log = new LogCapture(SampleScheduler.class)) {
      actual = explain(e);
      // 3 images × (16 steps + 2 ends) = 54 samples: 54, 27, 13 and 6 fail, 3 fits.
      assertThat(log.lines())
          .containsExactly(
              "WARN Out of memory for micro-batches of 54 samples ("
                  + CUDA_OOM
                  + "); continuing with micro-batches of 3");
    }
    assertThat(device.sizes.subList(0, 6)).containsExactly(3, 54, 27, 13, 6, 3);
    assertThat(device.sizes.subList(5, device.sizes.size())).allMatch(m -> m == 3).hasSize(18);
    assertThat(e.microBatchSize()).isEqualTo(3);
    for (int i = 0; i < expected.size(); i++) {
      float[] a = expected.get(i).maps().get("integrated_gradients");
      assertThat(TinyModel.relativeDifference(a, actual.get(i).maps().get("integrated_gradients")))
          .isLessThan(1e-5);
      double scale = 0;
      for (float v : a) {
        scale += Math.abs(v);
      }
      assertThat(actual.get(i).completenessErrors().get("integrated_gradients"))
          .isCloseTo(
              expected.get(i).completenessErrors().get("integrated_gradients"),
              org.assertj.core.data.Offset.offset(1e-5 * scale));
    }
  }

  @Test
  void layerStatisticsHalveTheMicroBatchTooAndGiveTheSameValues() {
    // tiny_dead.pt exports layer_activations (see LayerStatisticsTest).
    ModelOwner dead =
        ExecutorModels.acquire(
            TinyModel.spec(TinyModel.MODELS.resolve("tiny_dead.pt")), "cpu", m -> {});
    LayerStatistics oneByOne = new LayerStatistics(TinyModel.SIZE, 1);
    List<LayerStatistics.ImageLayers> expected =
        dead.call(m -> oneByOne.compute(m, oneByOne.layers(m), IMAGES));
    DeviceThatFits device = new DeviceThatFits(1, CUDA_OOM);
    LayerStatistics stats = new LayerStatistics(TinyModel.SIZE, new SampleScheduler(4, device));
    List<LayerStatistics.ImageLayers> actual;
    try (LogCapture log = new LogCapture(SampleScheduler.class)) {
      actual = dead.call(m -> stats.compute(m, stats.layers(m), IMAGES));
      assertThat(log.lines())
          .containsExactly(
              "WARN Out of memory for micro-batches of 3 samples ("
                  + CUDA_OOM
                  + "); continuing with micro-batches of 1");
    }
    // 3 images: the micro-batch of 3 fails, then each image fits alone.
    assertThat(device.sizes).containsExactly(3, 1, 1, 1);
    for (int i = 0; i < IMAGES.size(); i++) {
      assertThat(actual.get(i).predicted()).isEqualTo(expected.get(i).predicted());
      assertThat(actual.get(i).meanAbsWeightGrad()).isEqualTo(expected.get(i).meanAbsWeightGrad());
      assertThat(actual.get(i).activationMean()).isEqualTo(expected.get(i).activationMean());
      assertThat(actual.get(i).activationZeroFraction())
          .isEqualTo(expected.get(i).activationZeroFraction());
    }
  }

  @Test
  void otherEngineErrorsAreNotRetried() {
    DeviceThatFits device =
        new DeviceThatFits(0, "The size of tensor a (3) must match the size of tensor b (4)");
    assertThatThrownBy(() -> explain(explainer(64, device)))
        .isInstanceOf(EngineException.class)
        .hasMessage("The size of tensor a (3) must match the size of tensor b (4)");
    assertThat(device.sizes).containsExactly(3);
  }

  @Test
  void runningOutOfMemoryWithOneSampleFails() {
    DeviceThatFits device = new DeviceThatFits(0, CUDA_OOM);
    assertThatThrownBy(() -> explain(explainer(4, device)))
        .isInstanceOf(EngineException.class)
        .hasMessage(CUDA_OOM);
    assertThat(device.sizes).containsExactly(3, 1);
  }

  @Test
  void recognisesTheAllocatorMessages() {
    assertThat(SampleScheduler.isOutOfMemory(new EngineException(CUDA_OOM))).isTrue();
    assertThat(
            SampleScheduler.isOutOfMemory(
                new EngineException(
                    "DefaultCPUAllocator: not enough memory: you tried to allocate 1099511627776 bytes.")))
        .isTrue();
    assertThat(
            SampleScheduler.isOutOfMemory(
                new EngineException("expected scalar type Float but found Double")))
        .isFalse();
  }
}
