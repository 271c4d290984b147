package org.sparksaliency.job.method;

import org.sparksaliency.job.model.TorchModel;

/** The model's predictions for a batch from one forward pass without a graph. */
final class ForwardPass {
  private ForwardPass() {}

  /** Each image's prediction, with its {@code topK} most probable classes. */
  static Prediction[] predictions(
      SampleScheduler scheduler, TorchModel model, ExplainBatch batch, int topK) {
    Prediction[] predictions = new Prediction[batch.size()];
    OneSamplePlan plan =
        new OneSamplePlan(
            batch,
            Probes.FORWARD,
            (image, out, row) -> {
              predictions[image] = Prediction.fromLogits(out.logits(row), topK);
              return null;
            });
    try (DeviceBatch device = DeviceBatch.upload(model, batch.images(), batch.imageSize())) {
      scheduler.run(device, plan, new int[batch.size()]);
    }
    return predictions;
  }
}
