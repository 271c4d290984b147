package org.sparksaliency.job.method;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.sparksaliency.job.model.ExecutorModels;
import org.sparksaliency.job.model.HadoopConf;
import org.sparksaliency.job.model.ModelFiles;
import org.sparksaliency.job.model.ModelOwner;
import org.sparksaliency.job.model.ModelSpec;

/**
 * The tiny smooth TorchScript test model (16×16 input, 3 classes, features/head) through the real
 * model owner, its fixed input and the PyTorch reference values written by
 * sample-data/make_test_models.py and sample-data/make_method_references.py.
 */
final class TinyModel {
  static final Path MODELS = Path.of("src/test/resources/models");
  static final Path SAMPLE_MODEL = Path.of("../sample-data/model/shapes_cnn.pt");
  static final int SIZE = 16;

  private TinyModel() {}

  static ModelOwner owner() {
    return owner(1);
  }

  /** The tiny model's owner with {@code threads} intra-op threads. */
  static ModelOwner owner(int threads) {
    return ExecutorModels.acquire(spec(MODELS.resolve("tiny_smooth.pt"), threads), "cpu", m -> {});
  }

  static ModelOwner sampleModelOwner() {
    return ExecutorModels.acquire(spec(SAMPLE_MODEL), "cpu", m -> {});
  }

  static ModelSpec spec(Path file) {
    return spec(file, 1);
  }

  static ModelSpec spec(Path file, int threads) {
    String uri = file.toAbsolutePath().normalize().toUri().toString();
    Configuration conf = new Configuration();
    return new ModelSpec(uri, ModelFiles.sha256(uri, conf), threads, new HadoopConf(conf));
  }

  /** x[c,h,w] = sin(0.1 * flat index), the input the references were computed for. */
  static float[] input() {
    float[] x = new float[3 * SIZE * SIZE];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(0.1 * i);
    }
    return x;
  }

  /** Another smooth input, different per {@code k}. */
  static float[] input(int k) {
    float[] x = new float[3 * SIZE * SIZE];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.cos(0.07 * (k + 1) * i + k);
    }
    return x;
  }

  static JsonNode reference(String file) {
    try {
      return new ObjectMapper().readTree(MODELS.resolve(file).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static float[] floats(JsonNode a) {
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) a.get(i).asDouble();
    }
    return out;
  }

  static float maxAbs(float[] v) {
    float m = 0;
    for (float x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  /** max |a − b| / max |a|: the difference relative to the map's scale. */
  static double relativeDifference(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs((double) a[i] - b[i]));
    }
    return d / maxAbs(a);
  }
}
