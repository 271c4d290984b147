package org.sparksaliency.job.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.model.ExecutorModels;
import org.sparksaliency.job.model.HadoopConf;
import org.sparksaliency.job.model.ModelException;
import org.sparksaliency.job.model.ModelFiles;
import org.sparksaliency.job.model.ModelOwner;
import org.sparksaliency.job.model.ModelSpec;

/**
 * Per-layer statistics of a tiny TorchScript model whose layer conv2 is dead (its bias is -1000, so
 * its ReLU never lets anything through), through the real model owner, against PyTorch autograd
 * values written by sample-data/make_test_models.py.
 */
class LayerStatisticsTest {
  private static final Path MODELS = Path.of("src/test/resources/models");
  private static final int SIZE = 16;
  private static JsonNode reference;
  private static List<float[]> inputs;
  private static ModelOwner owner;

  @BeforeAll
  static void load() throws IOException {
    reference = new ObjectMapper().readTree(MODELS.resolve("expected_tiny_dead.json").toFile());
    float[] a = new float[3 * SIZE * SIZE];
    float[] b = new float[3 * SIZE * SIZE];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) Math.sin(0.1 * i);
      b[i] = (float) Math.cos(0.05 * i);
    }
    inputs = List.of(a, b);
    owner = ExecutorModels.acquire(spec("tiny_dead.pt"), "cpu", m -> {});
  }

  private static ModelSpec spec(String file) {
    String uri = MODELS.resolve(file).toAbsolutePath().toUri().toString();
    Configuration conf = new Configuration();
    return new ModelSpec(uri, ModelFiles.sha256(uri, conf), 1, new HadoopConf(conf));
  }

  private static double ref(String key, int image, int layer) {
    return reference.get(key).get(image).get(layer).asDouble();
  }

  private static List<LayerStatistics.ImageLayers> compute(int microBatchSize) {
    LayerStatistics stats = new LayerStatistics(SIZE, microBatchSize);
    return owner.call(m -> stats.compute(m, stats.layers(m), inputs));
  }

  @Test
  void layersAreTheWeightedModulesInOrder() {
    LayerStatistics stats = new LayerStatistics(SIZE, 2);
    assertThat(owner.call(stats::layers)).containsExactly("conv1", "conv2", "conv3", "fc");
  }

  @Test
  void theDeadLayerHasOnlyZeroActivationsAndNoWeightGradient() {
    List<LayerStatistics.ImageLayers> rows = compute(2);
    assertThat(rows).hasSameSizeAs(inputs);
    for (LayerStatistics.ImageLayers r : rows) {
      assertThat(r.activationZeroFraction()[1]).isEqualTo(1f);
      assertThat(r.activationMean()[1]).isEqualTo(0f);
      assertThat(r.meanAbsWeightGrad()[1]).isEqualTo(0f);
      // The live branch and the layers around it still get gradients.
      assertThat(r.meanAbsWeightGrad()[0]).isGreaterThan(0.01f);
      assertThat(r.meanAbsWeightGrad()[2]).isGreaterThan(0.01f);
      assertThat(r.activationZeroFraction()[2]).isLessThan(1f);
    }
  }

  @Test
  void valuesEqualPyTorchAutogradImageByImageWhateverTheMicroBatch() {
    for (int microBatch : new int[] {1, 2}) {
      List<LayerStatistics.ImageLayers> rows = compute(microBatch);
      assertThat(rows).hasSize(2);
      for (int i = 0; i < 2; i++) {
        LayerStatistics.ImageLayers r = rows.get(i);
        assertThat(r.predicted()).isEqualTo(reference.at("/predicted/" + i).asInt());
        for (int l = 0; l < 4; l++) {
          String at = String.format("micro-batch %d, image %d, layer %d", microBatch, i, l);
          double g = ref("mean_abs_weight_grad", i, l);
          assertThat((double) r.meanAbsWeightGrad()[l])
              .as(at)
              .isCloseTo(g, Offset.offset(1e-5 * Math.max(g, 1e-3)));
          assertThat((double) r.activationMean()[l])
              .as(at)
              .isCloseTo(ref("activation_mean", i, l), Offset.offset(1e-5));
          assertThat((double) r.activationZeroFraction()[l])
              .as(at)
              .isEqualTo(ref("activation_zero_fraction", i, l));
        }
      }
    }
  }

  @Test
  void parameterGradientsAreOffAgainAfterwards() {
    compute(2);
    boolean outputNeedsGradient =
        owner.call(
            m -> {
              try (NDManager scope = m.manager().newSubManager()) {
                NDArray x = scope.create(inputs.get(0), new Shape(1, 3, SIZE, SIZE));
                return m.call("forward", x).hasGradient();
              }
            });
    assertThat(outputNeedsGradient).isFalse();
  }

  @Test
  void aModelWithoutLayerActivationsNamesTheExportOption() {
    // tiny_smooth.pt exports no layer_activations. Its owner may already exist (another test loads
    // it), and
    // warm-up runs only at the first load, so the check runs on the owner.
    ModelSpec noActivations = spec("tiny_smooth.pt");
    ModelOwner other = ExecutorModels.acquire(noActivations, "cpu", m -> {});
    assertThatThrownBy(
            () ->
                other.call(
                    m -> {
                      LayerStatistics.checkModel(m);
                      return null;
                    }))
        .isInstanceOf(ModelException.class)
        .hasMessage(
            "Cannot use model "
                + noActivations.uri()
                + ": --layer-stats needs the model to export "
                + "layer_activations (missing: layer_activations); export it with sample-data/export_torchvision.py "
                + "--layer-activations (torchvision ResNet/VGG) or sample-data/export_sample_guided.py (the sample "
                + "model); see sample-data/guided_contract.py");
  }
}
