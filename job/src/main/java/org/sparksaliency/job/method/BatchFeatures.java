package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import org.sparksaliency.job.model.ModelException;
import org.sparksaliency.job.model.TorchModel;

/**
 * A batch's feature activations A = features(x), [B, C, h, w] float32 on the device, in the batch's
 * scope: what the channel-sampling CAMs ({@code scorecam}, {@code ablationcam}) take one sample per
 * channel from. Computed once per batch without a graph, one image per pass, so that they are the
 * same bits whatever the micro-batch size.
 */
final class BatchFeatures {
  private BatchFeatures() {}

  /** The activations of every image of {@code batch}; {@code method} names it in the errors. */
  static NDArray of(DeviceBatch batch, String method) {
    TorchModel model = batch.model();
    long images = batch.images().getShape().get(0);
    NDList each = new NDList();
    for (int i = 0; i < images; i++) {
      NDArray x = DeviceBatch.rows(batch.images(), new int[] {i}, batch.manager());
      NDArray a = model.callWithoutGraph("features", x);
      if (a.getShape().dimension() != 4 || a.getShape().get(0) != 1) {
        throw new ModelException(
            model.uri(),
            String.format(
                "--methods %s needs convolutional features(x) [N, C, h, w]; it returned %s for"
                    + " one image (tokens of a vision transformer are not supported)",
                method, a.getShape()),
            null);
      }
      each.add(a);
    }
    NDArray all = NDArrays.concat(each);
    all.attach(batch.manager());
    return all;
  }
}
