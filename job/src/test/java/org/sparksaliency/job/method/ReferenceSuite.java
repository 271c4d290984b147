package org.sparksaliency.job.method;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The PyTorch reference suite in src/test/resources/reference/, written by
 * sample-data/make_reference_suite.py: images, the method settings the maps were computed with, and
 * per model its TorchScript files, predicted classes and raw maps.
 */
final class ReferenceSuite {
  static final Path DIR = Path.of("src/test/resources/reference");

  /**
   * One model of the suite.
   *
   * @param file the model with forward/features/head
   * @param guidedFile the same weights with guided_gradient (guided_contract.py), for
   *     guided_backprop; null in a suite without guided methods
   * @param targets per image, the class PyTorch predicts
   * @param maps per method (in {@link #methods} order), per image, the size × size map
   */
  record Model(String name, Path file, Path guidedFile, int[] targets, float[][][] maps) {}

  final int size;
  final List<float[]> images;
  final List<String> methods;
  final MethodOptions sampling;
  final List<Model> models;

  private ReferenceSuite(
      int size,
      List<float[]> images,
      List<String> methods,
      MethodOptions sampling,
      List<Model> models) {
    this.size = size;
    this.images = images;
    this.methods = methods;
    this.sampling = sampling;
    this.models = models;
  }

  /** The suite of make_reference_suite.py (index.json). */
  static ReferenceSuite load() {
    return load("index.json");
  }

  /**
   * The suite described by {@code indexFile}: index.json (make_reference_suite.py) or
   * cam_index.json (make_cam_references.py: the CAM family and GradientSHAP on the same models and
   * images).
   */
  static ReferenceSuite load(String indexFile) {
    JsonNode index = json(DIR.resolve(indexFile));
    int size = index.get("image_size").asInt();
    int plane = size * size;
    int n = index.at("/images_shape/0").asInt();
    List<float[]> images = split(floats(index.get("images_file").asText(), n * 3 * plane), n);
    List<String> methods = new ArrayList<>();
    index.get("methods").forEach(m -> methods.add(m.asText()));
    List<Model> models = new ArrayList<>();
    for (JsonNode m : index.get("models")) {
      float[] all = floats(m.get("maps_file").asText(), methods.size() * n * plane);
      float[][][] maps = new float[methods.size()][][];
      for (int k = 0; k < maps.length; k++) {
        maps[k] =
            split(Arrays.copyOfRange(all, k * n * plane, (k + 1) * n * plane), n)
                .toArray(float[][]::new);
      }
      int[] targets = new int[n];
      for (int i = 0; i < n; i++) {
        targets[i] = m.at("/targets/" + i).asInt();
      }
      models.add(
          new Model(
              m.get("name").asText(),
              DIR.resolve(m.get("file").asText()),
              m.has("guided_file") ? DIR.resolve(m.get("guided_file").asText()) : null,
              targets,
              maps));
    }
    return new ReferenceSuite(
        size,
        List.copyOf(images),
        List.copyOf(methods),
        sampling(index.get("settings")),
        List.copyOf(models));
  }

  Model model(String name) {
    return models.stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("Cannot find model " + name + " in " + DIR));
  }

  /** The settings the script computed the maps with, so the two cannot drift apart. */
  private static MethodOptions sampling(JsonNode s) {
    MethodOptions o = MethodOptions.DEFAULTS;
    if (s.has("ig_steps")) {
      o =
          o.with(IntegratedGradientsMethod.STEPS, s.get("ig_steps").asInt())
              .with(
                  IntegratedGradientsMethod.BASELINE,
                  IgBaseline.valueOf(s.get("ig_baseline").asText().toUpperCase(Locale.ROOT)));
    }
    if (s.has("smoothgrad_samples")) {
      o =
          o.with(SmoothGradMethod.SAMPLES, s.get("smoothgrad_samples").asInt())
              .with(SmoothGradMethod.SIGMA, (float) s.get("smoothgrad_sigma").asDouble());
    }
    if (s.has("occlusion_window")) {
      o =
          o.with(OcclusionMethod.WINDOW, s.get("occlusion_window").asInt())
              .with(OcclusionMethod.STRIDE, s.get("occlusion_stride").asInt());
    }
    return o.with(Seeds.SEED, s.get("seed").asLong());
  }

  private static List<float[]> split(float[] values, int parts) {
    int per = values.length / parts;
    List<float[]> out = new ArrayList<>(parts);
    for (int i = 0; i < parts; i++) {
      out.add(Arrays.copyOfRange(values, i * per, (i + 1) * per));
    }
    return out;
  }

  private static float[] floats(String file, int expected) {
    Path p = DIR.resolve(file);
    FloatBuffer b = ByteBuffer.wrap(bytes(p)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    if (b.remaining() != expected) {
      throw new IllegalStateException(
          String.format(
              "Cannot read reference file %s: %d floats, expected %d", p, b.remaining(), expected));
    }
    float[] out = new float[expected];
    b.get(out);
    return out;
  }

  private static byte[] bytes(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read reference file " + p, e);
    }
  }

  private static JsonNode json(Path p) {
    try {
      return new ObjectMapper().readTree(p.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read reference index " + p, e);
    }
  }
}
