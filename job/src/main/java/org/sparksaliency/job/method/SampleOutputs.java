package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A micro-batch's probe result copied out of native memory: logits (none for map-only probes) and
 * further arrays, row by row.
 */
public final class SampleOutputs {
  private final int rows;
  private final int classes;
  private final float[] logits;
  private final float[][] values;

  private SampleOutputs(int rows, float[] logits, float[][] values) {
    this.rows = rows;
    this.classes = logits.length / rows;
    this.logits = logits;
    this.values = values;
  }

  /** Copies {@code result} (m rows) into the Java heap. */
  static SampleOutputs copy(ProbeResult result, int rows) {
    float[] logits =
        result.logits() == null
            ? new float[0]
            : result.logits().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
    List<NDArray> v = result.values();
    float[][] values = new float[v.size()][];
    for (int j = 0; j < v.size(); j++) {
      values[j] = v.get(j).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
    }
    if (logits.length % rows != 0) {
      throw new IllegalStateException(
          "Cannot read model output: " + logits.length + " logits for " + rows + " samples");
    }
    return new SampleOutputs(rows, logits, values);
  }

  public int rows() {
    return rows;
  }

  public int classes() {
    return classes;
  }

  public float logit(int row, int cls) {
    return logits[row * classes + cls];
  }

  /**
   * Softmax probability of class {@code cls} for sample {@code row}, computed in double precision.
   */
  public double probability(int row, int cls) {
    return softmax(logits, row * classes, classes, cls);
  }

  /**
   * Softmax probability of class {@code cls} of the {@code classes} logits from {@code base}, in
   * double precision.
   */
  static double softmax(float[] logits, int base, int classes, int cls) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < classes; c++) {
      max = Math.max(max, logits[base + c]);
    }
    double sum = 0;
    for (int c = 0; c < classes; c++) {
      sum += Math.exp(logits[base + c] - max);
    }
    return Math.exp(logits[base + cls] - max) / sum;
  }

  /** Row {@code row}'s logits. */
  public float[] logits(int row) {
    return java.util.Arrays.copyOfRange(logits, row * classes, (row + 1) * classes);
  }

  /** All rows of value array {@code j}, flattened; row r starts at {@code r * valueLength(j)}. */
  public float[] values(int j) {
    return values[j];
  }

  public int valueLength(int j) {
    return values[j].length / rows;
  }
}
