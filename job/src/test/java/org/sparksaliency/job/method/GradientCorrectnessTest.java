package org.sparksaliency.job.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparksaliency.job.model.ExecutorModels;
import org.sparksaliency.job.model.HadoopConf;
import org.sparksaliency.job.model.ModelException;
import org.sparksaliency.job.model.ModelFiles;
import org.sparksaliency.job.model.ModelOwner;
import org.sparksaliency.job.model.ModelSpec;

/**
 * Gradients and Grad-CAM of a tiny smooth TorchScript model, run through the real model owner,
 * against central finite differences and against PyTorch autograd (float64 reference written by
 * sample-data/make_test_models.py).
 */
class GradientCorrectnessTest {
  private static final Path MODELS = Path.of("src/test/resources/models");
  private static final int SIZE = 16;
  private static JsonNode reference;
  private static float[] input;
  private static ModelOwner owner;

  @BeforeAll
  static void load() throws IOException {
    reference = new ObjectMapper().readTree(MODELS.resolve("expected_tiny_smooth.json").toFile());
    input = new float[3 * SIZE * SIZE];
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) Math.sin(0.1 * i);
    }
    owner = ExecutorModels.acquire(spec("tiny_smooth.pt"), "cpu", m -> {});
  }

  private static ModelSpec spec(String file) {
    String uri = MODELS.resolve(file).toAbsolutePath().toUri().toString();
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

  private static ImageExplanation explain(String method) {
    BatchExplainer explainer = new BatchExplainer(List.of(method), SIZE, 4);
    return owner
        .call(m -> explainer.explain(m, List.of(input), new int[] {BatchExplainer.PREDICTED}))
        .get(0);
  }

  private static float[] maxAbsOverChannels(float[] chw) {
    float[] out = new float[SIZE * SIZE];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < out.length; i++) {
        out[i] = Math.max(out[i], Math.abs(chw[c * out.length + i]));
      }
    }
    return out;
  }

  @Test
  void explainsThePredictedClass() {
    ImageExplanation e = explain("gradient");
    assertThat(e.target()).isEqualTo(reference.get("target").asInt());
    assertThat(e.prediction().predicted()).isEqualTo(reference.get("target").asInt());
  }

  @Test
  void gradientMatchesPyTorchAutograd() {
    float[] expected = maxAbsOverChannels(floats("input_gradient"));
    float[] actual = explain("gradient").maps().get("gradient");
    assertThat(actual).hasSize(SIZE * SIZE);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual[i])
          .as("cell %d", i)
          .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  @Test
  void gradientMatchesCentralFiniteDifferences() {
    int target = reference.get("target").asInt();
    float eps = 1e-2f;
    int n = input.length;
    // All 2n perturbed inputs in one forward pass on the owner thread.
    float[] fd =
        owner.call(
            m -> {
              float[] batch = new float[2 * n * n];
              for (int i = 0; i < n; i++) {
                System.arraycopy(input, 0, batch, (2 * i) * n, n);
                System.arraycopy(input, 0, batch, (2 * i + 1) * n, n);
                batch[(2 * i) * n + i] += eps;
                batch[(2 * i + 1) * n + i] -= eps;
              }
              try (NDManager scope = m.manager().newSubManager()) {
                NDArray x = scope.create(batch, new Shape(2L * n, 3, SIZE, SIZE));
                float[] logits = m.call("forward", x).toFloatArray();
                int classes = logits.length / (2 * n);
                float[] g = new float[n];
                for (int i = 0; i < n; i++) {
                  g[i] =
                      (logits[(2 * i) * classes + target] - logits[(2 * i + 1) * classes + target])
                          / (2 * eps);
                }
                return g;
              }
            });
    float[] expected = maxAbsOverChannels(fd);
    float[] actual = explain("gradient").maps().get("gradient");
    float maxGrad = 0;
    for (float v : expected) {
      maxGrad = Math.max(maxGrad, v);
    }
    assertThat(maxGrad).isGreaterThan(0.01f);
    // float32 central differences at eps 1e-2 are good to ~2e-4 on this model (measured in
    // float64).
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual[i])
          .as("cell %d", i)
          .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-3));
    }
  }

  @Test
  void gradcamMatchesPyTorchReference() {
    float[] expected = floats("gradcam");
    float[] actual = explain("gradcam").maps().get("gradcam");
    // features keep the 16x16 resolution, so upsampling to the 16x16 input is the identity here.
    assertThat(actual).hasSize(expected.length);
    float scale = 0;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    assertThat(scale).isGreaterThan(0f);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual[i])
          .as("cell %d", i)
          .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5 * scale + 1e-7));
    }
  }

  @Test
  void camMethodsNeedFeaturesAndHead() {
    ModelSpec noCam = spec("no_cam.pt");
    BatchExplainer explainer = new BatchExplainer(List.of("gradcam"), SIZE, 4);
    // Its owner may already exist (another test loads no_cam.pt), and warm-up runs only at the
    // first load,
    // so the check runs on the owner.
    ModelOwner owner = ExecutorModels.acquire(noCam, "cpu", m -> {});
    assertThatThrownBy(
            () ->
                owner.call(
                    m -> {
                      explainer.checkModel(m);
                      return null;
                    }))
        .isInstanceOf(ModelException.class)
        .hasMessage(
            "Cannot use model "
                + noCam.uri()
                + ": --methods gradcam needs the model to export features and head "
                + "(missing: features, head); export them with @torch.jit.export, see sample-data/README.md");
  }

  @Test
  void aFileThatIsNotTorchScriptIsNamed(@TempDir Path dir) throws IOException {
    Path bogus = dir.resolve("bogus.pt");
    Files.writeString(bogus, "this is not a model");
    String uri = bogus.toUri().toString();
    Configuration conf = new Configuration();
    ModelSpec s = new ModelSpec(uri, ModelFiles.sha256(uri, conf), 1, new HadoopConf(conf));
    assertThatThrownBy(() -> ExecutorModels.acquire(s, "cpu", m -> {}))
        .isInstanceOf(ModelException.class)
        .hasMessageStartingWith(
            "Cannot use model " + uri + ": it is not a loadable TorchScript file (");
  }

  @Test
  void aChangedModelFileFailsTheShaCheck() {
    ModelSpec s = spec("tiny_smooth.pt");
    ModelSpec wrong = new ModelSpec(s.uri(), "0".repeat(64), 1, s.hadoopConf());
    assertThatThrownBy(() -> ExecutorModels.acquire(wrong, "cpu", m -> {}))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("expected " + "0".repeat(64));
  }
}
