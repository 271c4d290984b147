package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;

/**
 * A {@link SampleWork} whose inputs are written and whose outputs are read on the Java heap, one
 * sample at a time: for work whose per-sample cost is dominated by host-side bookkeeping rather
 * than pixels (the per-layer statistics read a few numbers per layer; the faithfulness curves sort
 * pixels once per map). The saliency methods build and accumulate on the device instead.
 */
public abstract class HostSampleWork implements SampleWork {

  /**
   * Writes sample {@code sample} of image {@code image} (normalised CHW, 3 × size × size values)
   * into {@code dst} at {@code offset}.
   */
  protected abstract void fill(int image, int sample, float[] dst, int offset);

  /** Adds the outputs of one sample (row {@code row} of {@code outputs}) to its image's results. */
  protected abstract void accumulate(int image, int sample, SampleOutputs outputs, int row);

  @Override
  public final NDArray inputs(DeviceBatch batch, MicroBatch pairs) {
    int size = batch.imageSize();
    int values = 3 * size * size;
    int m = pairs.size();
    float[] data = new float[m * values];
    for (int k = 0; k < m; k++) {
      fill(pairs.image(k), pairs.sample(k), data, k * values);
    }
    return pairs.scope().create(FloatBuffer.wrap(data), new Shape(m, 3, size, size));
  }

  @Override
  public final void accumulate(DeviceBatch batch, MicroBatch outputs) {
    SampleOutputs host = outputs.host();
    for (int k = 0; k < outputs.size(); k++) {
      accumulate(outputs.image(k), outputs.sample(k), host, k);
    }
  }
}
