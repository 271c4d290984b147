package org.sparksaliency.job.method;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.sparksaliency.job.image.Resize;

/**
 * What to compute for every image.
 *
 * @param methods saliency method names, in the order given
 * @param imageSize model input is imageSize × imageSize
 * @param mean per-channel RGB mean subtracted after scaling to [0, 1]
 * @param std per-channel RGB standard deviation divided by after the mean
 * @param batchSize images handed to the model owner at once
 * @param microBatchSize most samples in one forward/backward pass
 * @param heatmapSize stored heatmaps are heatmapSize × heatmapSize
 * @param target which class each heatmap explains
 * @param methodOptions settings of the methods that take any
 * @param layerStats also compute per-layer gradient and activation statistics (the layer_stats
 *     table)
 * @param evaluate deletion/insertion curves and the sanity check (--evaluate, --sanity-check)
 * @param resize how images become imageSize × imageSize (--resize, --resize-size)
 */
public record ExplainConfig(
    List<String> methods,
    int imageSize,
    float[] mean,
    float[] std,
    int batchSize,
    int microBatchSize,
    int heatmapSize,
    Target target,
    MethodOptions methodOptions,
    boolean layerStats,
    EvaluateOptions evaluate,
    Resize resize)
    implements Serializable {

  public ExplainConfig {
    methods = List.copyOf(methods);
    mean = mean.clone();
    std = std.clone();
    Objects.requireNonNull(methodOptions, "methodOptions is null");
    Objects.requireNonNull(evaluate, "evaluate is null");
    Objects.requireNonNull(resize, "resize is null");
  }

  /** The same without deletion/insertion curves or sanity check. */
  public ExplainConfig withoutEvaluation() {
    return new ExplainConfig(
        methods,
        imageSize,
        mean,
        std,
        batchSize,
        microBatchSize,
        heatmapSize,
        target,
        methodOptions,
        layerStats,
        EvaluateOptions.NONE,
        resize);
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  /**
   * The side of the maps the explainer hands over: the heatmap grid, area-averaged on the model's
   * device, when the model input is the whole image (--resize squash); the model-input size with
   * --resize crop, whose maps are placed into the whole image's grid per image on the task thread
   * ({@code summary.MapPlacement}: the region depends on each image's aspect ratio).
   */
  public int mapSize() {
    return resize.mode() == org.sparksaliency.job.image.ResizeMode.SQUASH ? heatmapSize : imageSize;
  }
}
