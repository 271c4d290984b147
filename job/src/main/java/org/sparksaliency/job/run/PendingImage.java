package org.sparksaliency.job.run;

import java.util.Set;
import org.sparksaliency.job.input.LoadedImage;

/**
 * An image of the explain stage waiting for the model.
 *
 * @param target the class to explain, or {@link
 *     org.sparksaliency.job.method.BatchExplainer#PREDICTED}
 * @param kept methods whose heatmap from an earlier run is kept (not emitted again)
 */
record PendingImage(LoadedImage image, int target, Set<String> kept) {
  float[] chw() {
    return image.image().chw();
  }
}
