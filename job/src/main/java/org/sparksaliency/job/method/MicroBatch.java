package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * One micro-batch of (image, sample) pairs, image-major and sample-minor, and, once the model has
 * run, its probe's result on the device. The logits come to the host only when a work asks for them
 * (predictions, probabilities: scalars the tables need); further arrays stay on the device unless a
 * host-side work copies them ({@link #host()}).
 */
public final class MicroBatch {
  private final int[] images;
  private final int[] samples;
  private final NDManager scope;
  private ProbeResult result;
  private float[] logits;
  private int classes;
  private SampleOutputs host;

  MicroBatch(int[] images, int[] samples, NDManager scope) {
    this.images = images;
    this.samples = samples;
    this.scope = scope;
  }

  void result(ProbeResult result) {
    this.result = result;
  }

  /** Pairs in this micro-batch. */
  public int size() {
    return images.length;
  }

  public int image(int row) {
    return images[row];
  }

  public int sample(int row) {
    return samples[row];
  }

  /**
   * Rows [{@code from}, {@code to}) of the micro-batch: consecutive samples {@code firstSample},
   * {@code firstSample + 1}, … of image {@code image}.
   */
  public record Run(int image, int from, int to, int firstSample) {
    public int size() {
      return to - from;
    }

    /** The run's rows of {@code array} along its first axis (a view, in the array's manager). */
    public NDArray of(NDArray array) {
      return array.get(new NDIndex("{}:{}", from, to));
    }
  }

  /**
   * The micro-batch as runs of one image each, in row order: pairs are image-major and
   * sample-minor, so an image's rows in a micro-batch are one run. Works that sum over samples do
   * one engine op per run instead of one per row.
   */
  public List<Run> runs() {
    List<Run> runs = new ArrayList<>();
    int from = 0;
    for (int row = 1; row <= images.length; row++) {
      if (row == images.length || images[row] != images[from]) {
        runs.add(new Run(images[from], from, row, samples[from]));
        from = row;
      }
    }
    return runs;
  }

  /** The images of all rows, in row order. */
  public int[] images() {
    return images.clone();
  }

  /** The native scope of this micro-batch; closed once it is accumulated. */
  public NDManager scope() {
    return scope;
  }

  /** Value array {@code j} of the probe's result, on the device, [m, ...]. */
  public NDArray value(int j) {
    return result.values().get(j);
  }

  /** Row {@code row}'s logit of class {@code cls} (the logits are copied to the host once). */
  public float logit(int row, int cls) {
    return logits()[row * classes + cls];
  }

  /** Row {@code row}'s logits. */
  public float[] logits(int row) {
    float[] all = logits();
    return java.util.Arrays.copyOfRange(all, row * classes, (row + 1) * classes);
  }

  /** Softmax probability of class {@code cls} for row {@code row}, in double precision. */
  public double probability(int row, int cls) {
    return SampleOutputs.softmax(logits(), row * classes, classes, cls);
  }

  private float[] logits() {
    if (logits == null) {
      if (result.logits() == null) {
        throw new IllegalStateException("Cannot read logits: this probe gives maps only");
      }
      logits = result.logits().toType(DataType.FLOAT32, false).toFloatArray();
      classes = logits.length / images.length;
    }
    return logits;
  }

  /** Everything the probe returned, copied to the Java heap (for works that accumulate there). */
  public SampleOutputs host() {
    if (host == null) {
      host = SampleOutputs.copy(result, images.length);
    }
    return host;
  }
}
