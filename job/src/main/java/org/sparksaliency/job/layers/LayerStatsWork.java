package org.sparksaliency.job.layers;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.List;
import org.sparksaliency.job.method.DeviceBatch;
import org.sparksaliency.job.method.MicroBatch;
import org.sparksaliency.job.method.Probe;
import org.sparksaliency.job.method.SampleOutputs;
import org.sparksaliency.job.method.SampleWork;

/**
 * The per-layer statistics of a batch as work for the {@link
 * org.sparksaliency.job.method.SampleScheduler}: one sample per image, the image itself, run
 * through the {@link LayerProbe}; each image's row of the probe's outputs becomes its {@link
 * LayerStatistics.ImageLayers}.
 */
final class LayerStatsWork implements SampleWork {
  private final List<float[]> inputs;
  private final LayerProbe probe;
  private final LayerStatistics.ImageLayers[] results;

  LayerStatsWork(List<float[]> inputs, List<String> layers) {
    this.inputs = inputs;
    this.probe = new LayerProbe(layers);
    this.results = new LayerStatistics.ImageLayers[inputs.size()];
  }

  @Override
  public int samplesPerImage() {
    return 1;
  }

  @Override
  public NDArray inputs(DeviceBatch batch, MicroBatch pairs) {
    return batch.gather(pairs.images(), pairs.scope());
  }

  @Override
  public Probe probe() {
    return probe;
  }

  /** A few numbers per layer and image: read on the heap. */
  @Override
  public void accumulate(DeviceBatch batch, MicroBatch pairs) {
    SampleOutputs outputs = pairs.host();
    for (int row = 0; row < pairs.size(); row++) {
      accumulate(pairs.image(row), outputs, row);
    }
  }

  private void accumulate(int image, SampleOutputs outputs, int row) {
    int predicted = LayerProbe.argmaxRows(outputs.logits(row), 1)[0];
    results[image] =
        new LayerStatistics.ImageLayers(
            predicted,
            row(outputs, LayerProbe.WEIGHT_GRAD, row),
            row(outputs, LayerProbe.ACTIVATION_MEAN, row),
            row(outputs, LayerProbe.ZERO_FRACTION, row));
  }

  /** Every image's values, in input order, once the scheduler has run the batch. */
  List<LayerStatistics.ImageLayers> results() {
    return List.of(results);
  }

  private static float[] row(SampleOutputs outputs, int value, int row) {
    int per = outputs.valueLength(value);
    return Arrays.copyOfRange(outputs.values(value), row * per, (row + 1) * per);
  }
}
