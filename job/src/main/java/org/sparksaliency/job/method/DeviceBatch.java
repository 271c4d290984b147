package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import org.sparksaliency.job.model.TorchModel;

/**
 * A batch's images on the model's device, [B, 3, S, S] float32, uploaded once, and the native
 * memory scope that every per-batch array of the plans (accumulators, baselines, masks, maps) lives
 * in until the batch is done. Each micro-batch gathers its samples' images from here with one
 * engine op: no input is rebuilt on the host. Only the model owner thread uses an instance.
 */
public final class DeviceBatch implements AutoCloseable {
  private final TorchModel model;
  private final int imageSize;
  private final NDManager manager;
  private final NDArray images;
  private final int[] sources;

  private DeviceBatch(TorchModel model, List<float[]> inputs, int imageSize, int[] sources) {
    this.model = model;
    this.imageSize = imageSize;
    this.sources = sources.clone();
    int n = inputs.size();
    int values = 3 * imageSize * imageSize;
    // Straight into native memory in the engine's byte order: DJL hands a direct buffer to libtorch
    // as it is, where a heap array would be copied once more.
    ByteBuffer all =
        ByteBuffer.allocateDirect(Math.multiplyExact(n, values * Float.BYTES))
            .order(ByteOrder.nativeOrder());
    FloatBuffer floats = all.asFloatBuffer();
    for (int i = 0; i < n; i++) {
      float[] x = inputs.get(i);
      if (x.length != values) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot explain image %d: %d values, expected 3x%dx%d",
                i, x.length, imageSize, imageSize));
      }
      floats.put(x);
    }
    this.manager = model.manager().newSubManager();
    this.images = manager.create(all, new Shape(n, 3, imageSize, imageSize), DataType.FLOAT32);
  }

  /**
   * Uploads {@code inputs} (normalised CHW, 3 × imageSize × imageSize each) to the device of {@code
   * model}.
   */
  public static DeviceBatch upload(TorchModel model, List<float[]> inputs, int imageSize) {
    int[] identity = new int[inputs.size()];
    for (int i = 0; i < identity.length; i++) {
      identity[i] = i;
    }
    return new DeviceBatch(model, inputs, imageSize, identity);
  }

  /**
   * As {@link #upload(TorchModel, List, int)} for (image, target) pairs: {@code sources[p]} is the
   * image pair p belongs to; pairs of one image hold the same pixels.
   */
  static DeviceBatch uploadPairs(
      TorchModel model, List<float[]> inputs, int imageSize, int[] sources) {
    return new DeviceBatch(model, inputs, imageSize, sources);
  }

  /** The image that row {@code row} of this batch holds (itself, unless rows are pairs). */
  public int source(int row) {
    return sources[row];
  }

  public TorchModel model() {
    return model;
  }

  public int imageSize() {
    return imageSize;
  }

  /** The scope of the batch's arrays; closed with the batch. */
  public NDManager manager() {
    return manager;
  }

  /** All images, [B, 3, S, S]. */
  public NDArray images() {
    return images;
  }

  /** The images of {@code indices}, in that order, [m, 3, S, S], in {@code scope}. */
  public NDArray gather(int[] indices, NDManager scope) {
    return rows(images, indices, scope);
  }

  /** Row {@code index} of {@code array} along its first axis, a view, in {@code scope}. */
  public static NDArray row(NDArray array, int index, NDManager scope) {
    NDArray out = array.get(index);
    out.attach(scope);
    return out;
  }

  /** Rows {@code indices} of {@code array} along its first axis, in {@code scope}. */
  public static NDArray rows(NDArray array, int[] indices, NDManager scope) {
    long[] idx = new long[indices.length];
    for (int k = 0; k < idx.length; k++) {
      idx[k] = indices[k];
    }
    try (NDArray index = scope.create(idx)) {
      NDArray out = array.get(new NDIndex("{}", index));
      out.attach(scope);
      return out;
    }
  }

  /**
   * The parts (per-run pieces of a micro-batch, in row order) as one array along the first axis:
   * the part itself when there is one, no copy.
   */
  public static NDArray joined(NDList parts) {
    return parts.size() == 1 ? parts.singletonOrThrow() : NDArrays.concat(parts);
  }

  /** A float64 array of zeros of {@code shape} in the batch's scope: an accumulator. */
  public NDArray zeros(Shape shape) {
    return manager.zeros(shape, DataType.FLOAT64);
  }

  /** Per-channel values as a [3, 1, 1] float32 array in the batch's scope (for broadcasting). */
  public NDArray perChannel(float[] values) {
    return manager.create(values, new Shape(3, 1, 1));
  }

  @Override
  public void close() {
    manager.close();
  }
}
