package org.sparksaliency.job.run;

import java.util.Set;
import org.sparksaliency.job.input.LoadedImage;

/**
 * An image of the explain stage waiting for the model.
 *
 * @param targets the classes to explain, one heatmap row per method each: class indices or ranks
 *     ({@link org.sparksaliency.job.method.BatchExplainer#ranked})
 * @param kept methods whose heatmap from an earlier run is kept (not emitted again)
 */
record PendingImage(LoadedImage image, int[] targets, Set<String> kept) {
  float[] chw() {
    return image.image().chw();
  }
}
