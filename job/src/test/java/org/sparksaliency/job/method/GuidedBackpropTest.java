package org.sparksaliency.job.method;

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
 * Guided backpropagation and Guided Grad-CAM on the sample model exported with guided_gradient
 * (sample-data/model/shapes_cnn_guided.pt), run through the real model owner, against the eager
 * PyTorch reference with backward hooks on every ReLU written by
 * sample-data/export_sample_guided.py.
 */
class GuidedBackpropTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final int SIZE = 32;
  private static final int PER = SIZE * SIZE;
  private static JsonNode reference;
  private static float[][] inputs;
  private static ModelOwner owner;

  @BeforeAll
  static void load() throws IOException {
    reference =
        new ObjectMapper()
            .readTree(Path.of("src/test/resources/models/expected_shapes_guided.json").toFile());
    inputs = new float[2][3 * PER];
    for (int i = 0; i < 3 * PER; i++) {
      inputs[0][i] = (float) Math.sin(0.1 * i);
      inputs[1][i] = (float) Math.cos(0.07 * i);
    }
    owner = ExecutorModels.acquire(spec("shapes_cnn_guided.pt"), "cpu", m -> {});
  }

  private static ModelSpec spec(String file) {
    String uri = ROOT.resolve("sample-data/model").resolve(file).toUri().toString();
    Configuration conf = new Configuration();
    return new ModelSpec(uri, ModelFiles.sha256(uri, conf), 1, new HadoopConf(conf));
  }

  private static float[] floats(String key) {
    JsonNode a = reference.get(key);
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) a.get(i).asDouble();
    }
    return out;
  }

  /**
   * Image 0 explains a class the model does not predict (explicit target), image 1 its prediction.
   */
  private static List<ImageExplanation> explain(String... methods) {
    BatchExplainer explainer = new BatchExplainer(List.of(methods), SIZE, 2);
    int[] targets = {reference.at("/targets/0").asInt(), BatchExplainer.PREDICTED};
    return owner.call(m -> explainer.explain(m, List.of(inputs[0], inputs[1]), targets));
  }

  /**
   * Every value of {@code actual} (image i's map) within 1e-5 of the largest reference value of
   * that map.
   */
  private static void assertMatches(String method, float[] actual, float[] expectedAll, int image) {
    assertThat(actual).hasSize(PER);
    float scale = 0;
    int nonZero = 0;
    for (int j = 0; j < PER; j++) {
      scale = Math.max(scale, Math.abs(expectedAll[image * PER + j]));
      nonZero += expectedAll[image * PER + j] != 0 ? 1 : 0;
    }
    assertThat(nonZero)
        .as("non-zero cells of the %s reference of image %d", method, image)
        .isGreaterThan(PER / 2);
    for (int j = 0; j < PER; j++) {
      assertThat((double) actual[j])
          .as("%s image %d cell %d", method, image, j)
          .isCloseTo(expectedAll[image * PER + j], Offset.offset(1e-5 * scale));
    }
  }

  @Test
  void explainsTheRequestedAndThePredictedClass() {
    List<ImageExplanation> e = explain("guided_backprop");
    assertThat(e.get(0).target()).isEqualTo(reference.at("/targets/0").asInt());
    assertThat(e.get(0).prediction().predicted()).isNotEqualTo(e.get(0).target());
    assertThat(e.get(1).target()).isEqualTo(reference.at("/targets/1").asInt());
    assertThat(e.get(1).prediction().predicted()).isEqualTo(e.get(1).target());
  }

  @Test
  void guidedGradientEqualsTheEagerHookReference() {
    float[] expected = floats("guided_gradient");
    long[] targets = {reference.at("/targets/0").asLong(), reference.at("/targets/1").asLong()};
    float[] actual =
        owner.call(
            m -> {
              try (NDManager scope = m.manager().newSubManager()) {
                float[] both = new float[6 * PER];
                System.arraycopy(inputs[0], 0, both, 0, 3 * PER);
                System.arraycopy(inputs[1], 0, both, 3 * PER, 3 * PER);
                NDArray x = scope.create(both, new Shape(2, 3, SIZE, SIZE));
                return m.call("guided_gradient", x, scope.create(targets, new Shape(2)))
                    .toFloatArray();
              }
            });
    assertThat(actual).hasSize(expected.length);
    float scale = 0;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual[i])
          .as("value %d", i)
          .isCloseTo(expected[i], Offset.offset(1e-5 * scale));
    }
  }

  @Test
  void guidedBackpropMapsEqualTheEagerHookReference() {
    List<ImageExplanation> e = explain("guided_backprop");
    for (int i = 0; i < 2; i++) {
      assertMatches(
          "guided_backprop", e.get(i).maps().get("guided_backprop"), floats("guided_backprop"), i);
    }
  }

  @Test
  void guidedGradcamMapsEqualTheReferenceAndReuseGradcam() {
    List<ImageExplanation> e = explain("gradcam", "guided_gradcam");
    for (int i = 0; i < 2; i++) {
      assertMatches("gradcam", e.get(i).maps().get("gradcam"), floats("gradcam"), i);
      assertMatches(
          "guided_gradcam", e.get(i).maps().get("guided_gradcam"), floats("guided_gradcam"), i);
    }
  }

  @Test
  void guidedMapsDifferFromThePlainGradient() {
    List<ImageExplanation> e = explain("gradient", "guided_backprop");
    float[] plain = e.get(1).maps().get("gradient");
    float[] guided = e.get(1).maps().get("guided_backprop");
    double diff = 0;
    for (int j = 0; j < PER; j++) {
      diff = Math.max(diff, Math.abs(plain[j] - guided[j]));
    }
    assertThat(diff).isGreaterThan(1e-3);
  }

  @Test
  void aModelWithoutGuidedGradientNamesTheExportOption() {
    // tiny_smooth.pt has features and head but no guided_gradient. Its owner may already exist
    // (another test
    // loads it), and warm-up runs only at the first load, so the check runs on the owner; loading a
    // model
    // no other test loads with warm-up checks would hide their warm-up failures instead.
    String uri =
        Path.of("src/test/resources/models/tiny_smooth.pt").toAbsolutePath().toUri().toString();
    Configuration conf = new Configuration();
    ModelSpec plain = new ModelSpec(uri, ModelFiles.sha256(uri, conf), 1, new HadoopConf(conf));
    BatchExplainer explainer = new BatchExplainer(List.of("guided_gradcam"), 16, 2);
    ModelOwner other = ExecutorModels.acquire(plain, "cpu", m -> {});
    assertThatThrownBy(
            () ->
                other.call(
                    m -> {
                      explainer.checkModel(m);
                      return null;
                    }))
        .isInstanceOf(ModelException.class)
        .hasMessage(
            "Cannot use model "
                + plain.uri()
                + ": --methods guided_gradcam needs the model to export features and "
                + "head and guided_gradient (missing: guided_gradient); export it with "
                + "sample-data/export_torchvision.py --guided (torchvision ResNet/VGG) or "
                + "sample-data/export_sample_guided.py (the sample model); see sample-data/guided_contract.py");
  }
}
