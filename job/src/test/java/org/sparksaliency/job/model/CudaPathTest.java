package org.sparksaliency.job.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.method.BatchExplainer;
import org.sparksaliency.job.method.ImageExplanation;

/**
 * The CUDA code path, on a machine with a GPU: the device a task with a Spark GPU address gets, the
 * model loaded there, and a method's maps on {@code gpu(0)} against the same maps on the CPU.
 * Skipped, saying why, where DJL's PyTorch engine sees no GPU (this project's CI, and every host
 * with the CPU build of libtorch).
 */
class CudaPathTest {
  private static final Path MODEL = Path.of("..", "sample-data", "model", "shapes_cnn.pt");
  private static final int SIZE = 128;

  @BeforeEach
  void requireGpu() {
    int gpus = Engine.getEngine("PyTorch").getGpuCount();
    Assumptions.assumeTrue(
        gpus > 0,
        "Skipped: DJL's PyTorch engine sees no CUDA GPU ("
            + Engine.getEngine("PyTorch").getVersion()
            + ", CUDA "
            + (ai.djl.util.cuda.CudaUtils.hasCuda() ? "library present" : "library absent")
            + "), so the CUDA code path is not tested on this machine");
    try (NDManager m = NDManager.newBaseManager(Device.gpu(0))) {
      m.ones(new ai.djl.ndarray.types.Shape(2)).toFloatArray();
    } catch (RuntimeException e) {
      Assumptions.abort(
          "Skipped: a GPU is present but libtorch cannot use it (" + e.getMessage() + ")");
    }
  }

  @Test
  void aTaskWithGpuAddressZeroRunsOnGpuZero() {
    String device =
        DeviceSelector.select(Map.of("gpu", new ResourceInformation("gpu", new String[] {"0"})));
    assertThat(device).isEqualTo("gpu:0");
    try (ModelOwner owner = open(device)) {
      assertThat(owner.device()).isEqualTo("gpu:0");
      String onDevice = owner.call(m -> m.manager().getDevice().toString());
      assertThat(onDevice).isEqualTo(Device.gpu(0).toString());
    }
  }

  @Test
  void gradientAndGradCamOnTheGpuMatchTheCpu() {
    List<float[]> images = images(6, new Random(11));
    int[] targets = new int[images.size()];
    Arrays.fill(targets, BatchExplainer.PREDICTED);
    List<String> ids = images.stream().map(i -> "img" + images.indexOf(i)).toList();
    BatchExplainer explainer = new BatchExplainer(List.of("gradient", "gradcam"), SIZE, 3);
    List<ImageExplanation> cpu;
    List<ImageExplanation> gpu;
    try (ModelOwner owner = open("cpu")) {
      cpu = owner.call(m -> explainer.explain(m, images, targets, ids));
    }
    try (ModelOwner owner = open("gpu:0")) {
      gpu = owner.call(m -> explainer.explain(m, images, targets, ids));
    }
    for (int i = 0; i < images.size(); i++) {
      assertThat(gpu.get(i).target()).as("image %d: target", i).isEqualTo(cpu.get(i).target());
      for (String method : List.of("gradient", "gradcam")) {
        float[] c = cpu.get(i).maps().get(method);
        float[] g = gpu.get(i).maps().get(method);
        assertThat(relativeError(g, c))
            .as("image %d %s: max|gpu - cpu| / range", i, method)
            .isLessThan(1e-3);
      }
    }
  }

  private static ModelOwner open(String device) {
    return ModelOwner.open(MODEL.toUri().toString(), MODEL, device, 0, m -> {});
  }

  private static List<float[]> images(int n, Random r) {
    return java.util.stream.IntStream.range(0, n)
        .mapToObj(
            k -> {
              float[] x = new float[3 * SIZE * SIZE];
              for (int j = 0; j < x.length; j++) {
                x[j] = (float) r.nextGaussian();
              }
              return x;
            })
        .toList();
  }

  private static double relativeError(float[] actual, float[] expected) {
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      min = Math.min(min, expected[i]);
      max = Math.max(max, expected[i]);
      worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    }
    return worst / Math.max(max - min, 1e-12);
  }
}
