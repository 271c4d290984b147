package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * A plan with one sample per image, the image itself: the map is a function of that sample's
 * outputs. The function runs as engine ops on the device ({@link DeviceReduction}: the gradient
 * family), or on the heap for maps computed from small arrays ({@link Reduction}: the CAMs from
 * feature maps, the rollouts from attention matrices).
 */
final class OneSamplePlan implements SamplePlan {

  /** Turns row {@code row} of a micro-batch's host outputs into image {@code image}'s map. */
  @FunctionalInterface
  interface Reduction {
    float[] map(int image, SampleOutputs outputs, int row);
  }

  /** Turns a micro-batch's device outputs into its rows' maps, [m, size, size] float32. */
  @FunctionalInterface
  interface DeviceReduction {
    NDArray maps(MicroBatch outputs, DeviceBatch batch);
  }

  /** The map is row {@code row} of value array {@code j} as it is. */
  static Reduction row(int j) {
    return (image, out, row) -> {
      int per = out.valueLength(j);
      return java.util.Arrays.copyOfRange(out.values(j), row * per, (row + 1) * per);
    };
  }

  /** The maps are value array {@code j} as it is, [m, size, size]. */
  static DeviceReduction value(int j) {
    return (out, batch) -> out.value(j);
  }

  private final ExplainBatch batch;
  private final Probe probe;
  private final Reduction reduction;
  private final DeviceReduction deviceReduction;
  private final float[][] hostMaps;

  /** The device reduction's maps, one array per micro-batch, in the order run. */
  private final NDList deviceMaps = new NDList();

  /** Per image, its row in {@link #deviceMaps} concatenated. */
  private final int[] deviceRows;

  private int deviceRowCount;
  private final Prediction[] predictions;

  OneSamplePlan(ExplainBatch batch, Probe probe, Reduction reduction) {
    this(batch, probe, reduction, null, false);
  }

  OneSamplePlan(ExplainBatch batch, Probe probe, DeviceReduction reduction) {
    this(batch, probe, null, reduction, false);
  }

  private OneSamplePlan(
      ExplainBatch batch,
      Probe probe,
      Reduction reduction,
      DeviceReduction deviceReduction,
      boolean predicting) {
    this.batch = batch;
    this.probe = probe;
    this.reduction = reduction;
    this.deviceReduction = deviceReduction;
    this.hostMaps = new float[batch.size()][];
    this.deviceRows = new int[batch.size()];
    this.predictions = predicting ? new Prediction[batch.size()] : null;
  }

  /**
   * A plan of a {@link PredictingMethod}: its probe's logits are the model's logits of each image,
   * so it also keeps each image's prediction, and its batch's targets may be {@link
   * BatchExplainer#PREDICTED}.
   */
  static OneSamplePlan predicting(ExplainBatch batch, Probe probe, Reduction reduction) {
    return new OneSamplePlan(batch, probe, reduction, null, true);
  }

  /** As {@link #predicting(ExplainBatch, Probe, Reduction)}, with maps made on the device. */
  static OneSamplePlan predicting(ExplainBatch batch, Probe probe, DeviceReduction reduction) {
    return new OneSamplePlan(batch, probe, null, reduction, true);
  }

  /**
   * Image {@code image}'s prediction from this plan's own pass; only for a {@link #predicting}
   * plan.
   */
  Prediction prediction(int image) {
    if (predictions == null) {
      throw new IllegalStateException(
          "Cannot give a prediction: this plan's probe does not keep its logits");
    }
    return predictions[image];
  }

  @Override
  public int samplesPerImage() {
    return 1;
  }

  @Override
  public NDArray inputs(DeviceBatch device, MicroBatch pairs) {
    return device.gather(pairs.images(), pairs.scope());
  }

  @Override
  public Probe probe() {
    return probe;
  }

  @Override
  public void accumulate(DeviceBatch device, MicroBatch outputs) {
    if (deviceReduction != null) {
      NDArray maps = deviceReduction.maps(outputs, device);
      maps.attach(device.manager());
      deviceMaps.add(maps);
      for (int k = 0; k < outputs.size(); k++) {
        deviceRows[outputs.image(k)] = deviceRowCount++;
      }
    } else {
      SampleOutputs host = outputs.host();
      for (int k = 0; k < outputs.size(); k++) {
        hostMaps[outputs.image(k)] = reduction.map(outputs.image(k), host, k);
      }
    }
    if (predictions != null) {
      for (int k = 0; k < outputs.size(); k++) {
        predictions[outputs.image(k)] =
            Prediction.fromLogits(outputs.logits(k), BatchExplainer.TOP_K);
      }
    }
  }

  @Override
  public NDArray maps(DeviceBatch device) {
    if (deviceReduction != null) {
      NDArray rows = DeviceBatch.joined(deviceMaps);
      for (int i = 0; i < deviceRows.length; i++) {
        if (deviceRows[i] != i) {
          return DeviceBatch.rows(rows, deviceRows, device.manager());
        }
      }
      return rows;
    }
    int size = batch.imageSize();
    float[] all = new float[batch.size() * size * size];
    for (int i = 0; i < hostMaps.length; i++) {
      System.arraycopy(hostMaps[i], 0, all, i * size * size, size * size);
    }
    return device.manager().create(all, new Shape(batch.size(), size, size));
  }
}
