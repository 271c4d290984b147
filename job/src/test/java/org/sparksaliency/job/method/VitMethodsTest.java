package org.sparksaliency.job.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.image.DecodedImage;
import org.sparksaliency.job.image.ImageDecoder;
import org.sparksaliency.job.model.ExecutorModels;
import org.sparksaliency.job.model.HadoopConf;
import org.sparksaliency.job.model.ModelException;
import org.sparksaliency.job.model.ModelFiles;
import org.sparksaliency.job.model.ModelOwner;
import org.sparksaliency.job.model.ModelSpec;

/**
 * attention_rollout, grad_rollout and gradcam on the sample ViT, run through the real model owner,
 * against PyTorch references in float64 written by sample-data/make_sample_vit.py
 * (expected_shapes_vit.json). The reference takes d(logit)/dA from autograd on the attention
 * tensors of a plain forward, so it also checks the zero-offset route the job uses ({@code
 * forward_with_attentions}). Both reference inputs go through one micro-batch, so each sample must
 * get its own gradients.
 */
class VitMethodsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final int SIZE = 128;
  private static JsonNode reference;

  /** The CAM family's grid maps (sample-data/make_cam_references.py), for the same two inputs. */
  private static JsonNode cams;

  private static List<float[]> inputs;
  private static ModelOwner owner;

  @BeforeAll
  static void load() throws IOException {
    reference =
        new ObjectMapper()
            .readTree(Path.of("src/test/resources/models/expected_shapes_vit.json").toFile());
    inputs = new ArrayList<>();
    for (JsonNode c : reference.get("cases")) {
      inputs.add(
          c.has("input_uint8_b64")
              ? normalised(c.get("input_uint8_b64").asText())
              : input(c.get("input").asText()));
    }
    // sample-data/make_sample_vit.py writes two cases: a sine pattern and a sample image.
    assertThat(inputs).hasSize(2);
    cams =
        new ObjectMapper()
            .readTree(Path.of("src/test/resources/models/expected_shapes_vit_cams.json").toFile());
    for (int i = 0; i < inputs.size(); i++) {
      assertThat(cams.at("/cases/" + i + "/input").asText())
          .isEqualTo(reference.at("/cases/" + i + "/input").asText());
    }
    owner = ExecutorModels.acquire(spec("sample-data/model/shapes_vit.pt"), "cpu", m -> {});
  }

  /**
   * "sin": x[i] = 1.5 sin(0.1 i) over the flat CHW index; otherwise a sample image decoded by the
   * job.
   */
  private static float[] input(String name) throws IOException {
    if ("sin".equals(name)) {
      float[] x = new float[3 * SIZE * SIZE];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (Math.sin(0.1 * i) * 1.5);
      }
      return x;
    }
    ImageDecoder decoder =
        new ImageDecoder(
            SIZE,
            new float[] {0.485f, 0.456f, 0.406f},
            new float[] {0.229f, 0.224f, 0.225f},
            1L << 30);
    return ((DecodedImage)
            decoder.decode(Files.readAllBytes(ROOT.resolve("sample-data").resolve(name))))
        .chw();
  }

  /**
   * The script's resized uint8 pixels (CHW, base64), normalised as the job's decoder normalises:
   * the references were computed from exactly these, so the comparison is of the methods alone (the
   * resize itself is checked against torchvision by ResizeReferenceTest).
   */
  private static float[] normalised(String base64) {
    byte[] px = java.util.Base64.getDecoder().decode(base64);
    float[] mean = {0.485f, 0.456f, 0.406f};
    float[] std = {0.229f, 0.224f, 0.225f};
    int plane = SIZE * SIZE;
    assertThat(px).hasSize(3 * plane);
    float[] x = new float[px.length];
    for (int i = 0; i < px.length; i++) {
      int c = i / plane;
      x[i] = ((px[i] & 0xFF) / 255f - mean[c]) / std[c];
    }
    return x;
  }

  private static ModelSpec spec(String file) {
    String uri = ROOT.resolve(file).toUri().toString();
    Configuration conf = new Configuration();
    return new ModelSpec(uri, ModelFiles.sha256(uri, conf), 1, new HadoopConf(conf));
  }

  private static List<ImageExplanation> explain(String method, MethodOptions options) {
    BatchExplainer explainer = new BatchExplainer(List.of(method), options, SIZE, inputs.size());
    int[] targets = new int[inputs.size()];
    java.util.Arrays.fill(targets, BatchExplainer.PREDICTED);
    return owner.call(m -> explainer.explain(m, inputs, targets));
  }

  /** Compares each sample's map with its reference grid map, upsampled the documented way. */
  private static void assertMatches(String method, MethodOptions options, String key) {
    assertMatches(reference, method, options, key);
  }

  private static void assertMatches(
      JsonNode reference, String method, MethodOptions options, String key) {
    List<ImageExplanation> results = explain(method, options);
    assertThat(results).hasSize(inputs.size());
    JsonNode grid = reference.get("grid");
    for (int i = 0; i < results.size(); i++) {
      JsonNode c = reference.get("cases").get(i);
      assertThat(results.get(i).target())
          .as("target of %s", c.get("input").asText())
          .isEqualTo(c.get("target").asInt());
      float[] small = new float[c.get(key).size()];
      double scale = 0;
      for (int k = 0; k < small.length; k++) {
        small[k] = (float) c.get(key).get(k).asDouble();
        scale = Math.max(scale, Math.abs(small[k]));
      }
      assertThat(scale)
          .as("%s of %s is not all zero", key, c.get("input").asText())
          .isGreaterThan(0);
      float[] expected =
          BilinearUpsampler.resize(small, grid.get(0).asInt(), grid.get(1).asInt(), SIZE, SIZE);
      float[] actual = results.get(i).maps().get(method);
      assertThat(actual).hasSize(SIZE * SIZE);
      for (int k = 0; k < expected.length; k++) {
        // float32 model against a float64 reference: agreement to 1e-4 of the map's largest value.
        assertThat((double) actual[k])
            .as("%s of %s, pixel %d", key, c.get("input").asText(), k)
            .isCloseTo(expected[k], org.assertj.core.data.Offset.offset(1e-4 * scale));
      }
    }
  }

  @Test
  void attentionRolloutWithMeanFusionMatchesPyTorch() {
    assertMatches(AttentionRolloutMethod.NAME, MethodOptions.DEFAULTS, "attention_rollout_mean");
  }

  @Test
  void attentionRolloutWithMaxFusionAndDiscardMatchesPyTorch() {
    assertMatches(
        AttentionRolloutMethod.NAME,
        MethodOptions.DEFAULTS
            .with(AttentionRolloutMethod.HEAD_FUSION, HeadFusion.MAX)
            .with(Rollout.DISCARD, 0.5),
        "attention_rollout_max_discard_0.5");
  }

  @Test
  void gradRolloutMatchesPyTorchAutogradOnTheAttentionTensors() {
    assertMatches(GradRolloutMethod.NAME, MethodOptions.DEFAULTS, "grad_rollout");
    assertMatches(
        GradRolloutMethod.NAME,
        MethodOptions.DEFAULTS
            .with(AttentionRolloutMethod.HEAD_FUSION, HeadFusion.MEAN)
            .with(Rollout.DISCARD, 0.5),
        "grad_rollout_discard_0.5");
  }

  @Test
  void layercamAndEigencamLayTheTokensOnThePatchGrid() {
    for (String method : List.of("layercam", "eigencam")) {
      assertMatches(cams, method, MethodOptions.DEFAULTS, method);
    }
  }

  @Test
  void scoreCamAndAblationCamRefuseTokensNamingTheMethod() {
    for (String method : List.of("scorecam", "ablationcam")) {
      assertThatThrownBy(() -> explain(method, MethodOptions.DEFAULTS))
          .as(method)
          .isInstanceOf(ModelException.class)
          .hasMessageContaining(
              "--methods " + method + " needs convolutional features(x) [N, C, h, w]");
    }
  }

  @Test
  void gradcamLaysTheTokensOnThePatchGrid() {
    assertMatches(GradCamMethod.NAME, MethodOptions.DEFAULTS, "gradcam");
  }

  @Test
  void aModelWithoutAttentionsIsRefusedNamingTheMethod() {
    // tiny_smooth.pt is a CNN (no attentions, no patch_grid). Its owner may already exist (another
    // test loads
    // it), and warm-up runs only at the first load, so the check runs on the owner.
    String uri =
        Path.of("src/test/resources/models/tiny_smooth.pt").toAbsolutePath().toUri().toString();
    Configuration conf = new Configuration();
    ModelSpec cnn = new ModelSpec(uri, ModelFiles.sha256(uri, conf), 1, new HadoopConf(conf));
    ModelOwner owner = ExecutorModels.acquire(cnn, "cpu", m -> {});
    BatchExplainer explainer = new BatchExplainer(List.of("attention_rollout"), SIZE, 4);
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
                + uri
                + ": --methods attention_rollout needs the model to export attentions "
                + "and patch_grid (missing: attentions, patch_grid); export them with @torch.jit.export, "
                + "see sample-data/README.md");
    BatchExplainer grad = new BatchExplainer(List.of("grad_rollout"), SIZE, 4);
    assertThatThrownBy(
            () ->
                owner.call(
                    m -> {
                      grad.checkModel(m);
                      return null;
                    }))
        .isInstanceOf(ModelException.class)
        .hasMessage(
            "Cannot use model "
                + uri
                + ": --methods grad_rollout needs the model to export attentions and "
                + "forward_with_attentions and patch_grid (missing: attentions, forward_with_attentions, "
                + "patch_grid); export them with @torch.jit.export, see sample-data/README.md");
  }
}
