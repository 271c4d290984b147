package org.sparksaliency.job.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * The model-parameter randomisation of Adebayo et al. 2018, done in place on the loaded module and
 * undone afterwards: {@link #run} saves a copy of every parameter, lets {@code work} randomise
 * layers and recompute whatever it needs, and writes the saved values back in a {@code finally}, so
 * the module is bit-identical afterwards even when {@code work} fails. Everything happens inside
 * one model-owner call, so no other task ever sees randomised weights and no second module has to
 * be loaded.
 *
 * <p>A layer is a module that owns parameters, named by its path ({@code body.3}, {@code fc});
 * layers are counted from the output down in the module's registration order (the order PyTorch
 * lists parameters, which for sequential models is the forward order). Randomising a layer replaces
 * each of its parameter tensors by seeded normal noise N(0, σ²), σ the tensor's own standard
 * deviation, or its root mean square when the tensor is constant (a BatchNorm scale of ones), so
 * activations keep their scale; an all-zero tensor stays zero. Noise, not a permutation: a
 * permutation of a constant tensor, or of a one-element one, would change nothing. Buffers
 * (BatchNorm running statistics) are not parameters and are kept.
 */
public final class ParameterRandomisation {
  private final Map<String, List<NDArray>> byLayer;

  private ParameterRandomisation(Map<String, List<NDArray>> byLayer) {
    this.byLayer = byLayer;
  }

  /**
   * Runs {@code work} with the ability to randomise {@code model}'s layers, then restores every
   * parameter.
   */
  public static <T> T run(TorchModel model, Function<ParameterRandomisation, T> work) {
    return model.withParameters(
        params -> {
          Map<String, List<NDArray>> byLayer = new LinkedHashMap<>();
          List<NDArray> saved = new ArrayList<>(params.size());
          for (NDArray p : params) {
            byLayer.computeIfAbsent(layerOf(p.getName()), k -> new ArrayList<>()).add(p);
            saved.add(p.duplicate());
          }
          try {
            return work.apply(new ParameterRandomisation(byLayer));
          } finally {
            restore(params, saved);
          }
        });
  }

  private static void restore(NDList params, List<NDArray> saved) {
    boolean was = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      for (int i = 0; i < params.size(); i++) {
        // In place, into the module's own storage: x · 0 + saved (the noise is finite, so x · 0 is
        // 0).
        params.get(i).muli(0f).addi(saved.get(i));
      }
    } finally {
      JniUtils.setGradMode(was);
    }
  }

  /** {@code body.3.weight} → {@code body.3}; a top-level parameter is its own layer. */
  static String layerOf(String parameter) {
    int dot = parameter.lastIndexOf('.');
    return dot < 0 ? parameter : parameter.substring(0, dot);
  }

  /** The layers owning parameters, from the output down (the head first). */
  public List<String> layersFromOutput() {
    List<String> out = new ArrayList<>(byLayer.keySet());
    java.util.Collections.reverse(out);
    return out;
  }

  /** Replaces every parameter of {@code layer} by seeded noise (see the class comment). */
  public void randomise(String layer, long seed) {
    List<NDArray> params = byLayer.get(layer);
    if (params == null) {
      throw new IllegalArgumentException(
          "Cannot randomise layer '" + layer + "': the model's layers are " + layersFromOutput());
    }
    boolean was = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      for (NDArray p : params) {
        float[] v = p.toType(DataType.FLOAT32, false).toFloatArray();
        double sum = 0;
        double squares = 0;
        for (float x : v) {
          sum += x;
          squares += (double) x * x;
        }
        double mean = sum / v.length;
        double variance = Math.max(0, squares / v.length - mean * mean);
        double sigma = variance > 1e-24 ? Math.sqrt(variance) : Math.sqrt(squares / v.length);
        Random r = new Random(seed ^ p.getName().hashCode());
        float[] noise = new float[v.length];
        for (int i = 0; i < noise.length; i++) {
          noise[i] = (float) (r.nextGaussian() * sigma);
        }
        try (NDArray n =
            p.getManager().create(noise, p.getShape()).toType(p.getDataType(), false)) {
          p.muli(0f).addi(n);
        }
      }
    } finally {
      JniUtils.setGradMode(was);
    }
  }
}
