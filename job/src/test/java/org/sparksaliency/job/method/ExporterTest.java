package org.sparksaliency.job.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.model.ModelOwner;

/**
 * export/export_model.py on small random-weight torchvision models, run with Debian's python3-torch
 * (bin/test installs it): the exported file loads in the job and every CAM method explains through
 * it, and a node the model cannot be split at is refused, naming the node that bypasses it.
 * Skipped, saying why, where /usr/bin/python3 has no torch and torchvision.
 */
class ExporterTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String PYTHON = "/usr/bin/python3";
  private static final int SIZE = 64;
  private static final List<String> CAMS = List.of("gradcam", "layercam", "eigencam");
  private static Path dir;

  /** The exporter's exit code and its stdout and stderr together. */
  private record Result(int code, String output) {}

  @BeforeAll
  static void requireTorch() throws IOException, InterruptedException {
    boolean present =
        Files.isExecutable(Path.of(PYTHON))
            && run(List.of(PYTHON, "-c", "import torch, torchvision")).code() == 0;
    assumeTrue(
        present,
        "skipped: "
            + PYTHON
            + " has no torch and torchvision (apt-get install python3-torch python3-torchvision)");
    dir = Files.createTempDirectory("exporter-test");
  }

  private static Result run(List<String> command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
    return new Result(p.exitValue(), out);
  }

  private static Result export(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(PYTHON, "export/export_model.py"));
    command.addAll(List.of(args));
    return run(command);
  }

  private static List<ImageExplanation> explain(Path model, int size, List<String> methods) {
    Random r = new Random(7);
    List<float[]> images = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      float[] x = new float[3 * size * size];
      for (int k = 0; k < x.length; k++) {
        x[k] = (float) r.nextGaussian();
      }
      images.add(x);
    }
    BatchExplainer e = new BatchExplainer(methods, size, 4);
    try (ModelOwner owner = ModelOwner.open(model.toUri().toString(), model, "cpu", 1, m -> {})) {
      return owner.call(
          m -> {
            e.checkModel(m);
            return e.explain(
                m, images, new int[] {BatchExplainer.PREDICTED, BatchExplainer.PREDICTED});
          });
    }
  }

  private static void assertExplains(Path model, int size, List<String> methods, int classes) {
    for (ImageExplanation x : explain(model, size, methods)) {
      assertThat(x.target()).isBetween(0, classes - 1);
      assertThat(x.maps()).containsOnlyKeys(methods);
      for (String method : methods) {
        float[] map = x.maps().get(method);
        assertThat(map).as(method).hasSize(size * size);
        float max = 0;
        for (float v : map) {
          assertThat(v).as(method).isFinite().isGreaterThanOrEqualTo(0f);
          max = Math.max(max, v);
        }
        assertThat(max).as("%s is not all zero", method).isGreaterThan(0f);
      }
    }
  }

  @Test
  void resnetSplitAtLayer3AndLayer4LoadsInTheJobAndExplains() throws Exception {
    for (String layer : List.of("layer3", "layer4")) {
      Path out = dir.resolve("resnet18_" + layer + ".pt");
      Result r =
          export(
              "--torchvision",
              "resnet18",
              "--num-classes",
              "3",
              "--image-size",
              "" + SIZE,
              "--layer",
              layer,
              "--out",
              out.toString());
      assertThat(r.code()).as(r.output()).isZero();
      assertThat(r.output())
          .contains("resnet18 split at " + layer + ".1.relu_1 (--layer " + layer + ")")
          .contains("max |head(features(x)) - forward(x)|");
      assertExplains(out, SIZE, CAMS, 3);
    }
  }

  @Test
  void mobilenetSplitAtAFeaturesNodeExplains() throws Exception {
    Path out = dir.resolve("mobilenet.pt");
    Result r =
        export(
            "--torchvision",
            "mobilenet_v3_small",
            "--num-classes",
            "5",
            "--image-size",
            "" + SIZE,
            "--layer",
            "features.9",
            "--out",
            out.toString());
    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.output()).contains("(features 96x2x2, logits 5)");
    assertExplains(out, SIZE, CAMS, 5);
  }

  @Test
  void vitSplitAtAnEncoderLayerExportsItsPatchGrid() throws Exception {
    String args =
        "{\"image_size\": 32, \"patch_size\": 8, \"num_layers\": 3, \"num_heads\": 2,"
            + " \"hidden_dim\": 16, \"mlp_dim\": 32}";
    // torchvision initialises a ViT's classifier to zero, so random weights give zero logits and
    // zero maps: --weights brings a state_dict with a random classifier.
    Path weights = dir.resolve("vit.pth");
    Result saved =
        run(
            List.of(
                PYTHON,
                "-c",
                "import json, sys, torch, torchvision\n"
                    + "torch.manual_seed(3)\n"
                    + "m = torchvision.models.VisionTransformer(num_classes=4, **json.loads(sys.argv[1]))\n"
                    + "torch.nn.init.normal_(m.heads.head.weight)\n"
                    + "torch.save(m.state_dict(), sys.argv[2])",
                args,
                weights.toString()));
    assertThat(saved.code()).as(saved.output()).isZero();
    Path out = dir.resolve("vit.pt");
    Result r =
        export(
            "--torchvision",
            "VisionTransformer",
            "--num-classes",
            "4",
            "--image-size",
            "32",
            "--model-args",
            args,
            "--weights",
            weights.toString(),
            "--layer",
            "encoder.layers.encoder_layer_1",
            "--out",
            out.toString());
    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.output()).contains("patch_grid [4, 4] inside 17 tokens");
    assertExplains(out, 32, CAMS, 4);
  }

  @Test
  void aNodeInsideAResidualBlockIsRefusedNamingTheSkipConnection() throws Exception {
    Path out = dir.resolve("refused.pt");
    Result r =
        export(
            "--torchvision",
            "resnet18",
            "--num-classes",
            "3",
            "--image-size",
            "" + SIZE,
            "--layer",
            "layer3.0.conv2",
            "--out",
            out.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.output())
        .contains(
            "ERROR: Cannot split at --layer layer3.0.conv2 (node layer3.0.conv2): the rest of the"
                + " model also uses layer3.0.downsample.1, computed from the input without passing"
                + " through it (a skip connection around it)");
    assertThat(out).doesNotExist();
    Result unknown =
        export("--torchvision", "resnet18", "--layer", "layer9", "--out", out.toString());
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.output())
        .contains("Cannot split at --layer layer9: no node or module of that name");
  }

  @Test
  void listLayersPrintsTheNodeNamesInExecutionOrder() throws Exception {
    Result r = export("--torchvision", "resnet18", "--list-layers");
    assertThat(r.code()).as(r.output()).isZero();
    List<String> names = List.of(r.output().strip().split("\n"));
    assertThat(names).contains("conv1", "layer3.1.relu_1", "layer4.1.relu_1", "fc");
    assertThat(names.indexOf("layer3.1.relu_1")).isLessThan(names.indexOf("layer4.1.relu_1"));
  }
}
