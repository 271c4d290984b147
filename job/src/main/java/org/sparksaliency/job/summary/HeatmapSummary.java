package org.sparksaliency.job.summary;

import java.util.Optional;
import org.sparksaliency.job.image.InputRegion;
import org.sparksaliency.job.image.Resize;
import org.sparksaliency.udf.EncodedHeatmap;
import org.sparksaliency.udf.HeatmapCodec;
import org.sparksaliency.udf.SaliencyStatistics;

/**
 * A map at model-input resolution turned into what the heatmaps table stores: the map placed on the
 * stored grid, which spans the whole original image ({@link MapPlacement}: with {@code --resize
 * crop} the cells outside the crop hold 0), encoded, and its summary statistics (computed on the
 * resampled raw values, before quantisation, with magnitudes for signed maps).
 *
 * <p>Any finite map is a valid row, however small its values: the resampling, the encoding and the
 * statistics all work in double precision. An all-zero map (vargrad without noise) is stored with
 * {@code heatmap_min = heatmap_max = 0} and the statistics of a flat map ({@link
 * SaliencyStatistics}).
 */
public record HeatmapSummary(
    EncodedHeatmap heatmap,
    double mean,
    double entropy,
    double gini,
    double peakX,
    double peakY,
    Optional<Double> boxMass,
    Optional<Boolean> pointingHit) {

  /**
   * {@link #of(float[], InputRegion, int, int, int, int, Optional)} for a map of the whole image.
   */
  public static Optional<HeatmapSummary> of(
      float[] map, int inputSize, int heatmapSize, int width, int height, Optional<Box> box) {
    return of(
        map,
        Resize.SQUASH.region(inputSize, width, height),
        inputSize,
        heatmapSize,
        width,
        height,
        box);
  }

  /**
   * @param map row-major map of inputSize × inputSize values
   * @param region where the model input lies in the image ({@link
   *     org.sparksaliency.job.image.Resize#region})
   * @param width original image width in pixels
   * @param height original image height in pixels
   * @return empty if the map holds a NaN or infinity
   * @see SaliencyStatistics#isFlat for why a flat map has no pointing hit
   */
  public static Optional<HeatmapSummary> of(
      float[] map,
      InputRegion region,
      int inputSize,
      int heatmapSize,
      int width,
      int height,
      Optional<Box> box) {
    float[] grid = MapPlacement.place(map, inputSize, region, heatmapSize);
    for (float v : grid) {
      if (!Float.isFinite(v)) {
        return Optional.empty();
      }
    }
    EncodedHeatmap encoded = HeatmapCodec.encode(grid, heatmapSize, heatmapSize);
    int peak = SaliencyStatistics.peakIndex(grid);
    double peakX = (peak % heatmapSize + 0.5) / heatmapSize * width;
    double peakY = (peak / heatmapSize + 0.5) / heatmapSize * height;
    Optional<Double> mass =
        box.map(
            b ->
                SaliencyStatistics.massInBox(
                    grid,
                    heatmapSize,
                    heatmapSize,
                    b.x0() / width,
                    b.y0() / height,
                    b.x1() / width,
                    b.y1() / height));
    // A flat map (all-zero included) has no peak: its tie-rule peak, the first cell, would score
    // the
    // top-left corner in the pointing game.
    Optional<Boolean> hit =
        SaliencyStatistics.isFlat(grid)
            ? Optional.empty()
            : box.map(b -> b.containsWithTolerance(peakX, peakY));
    return Optional.of(
        new HeatmapSummary(
            encoded,
            SaliencyStatistics.mean(grid),
            SaliencyStatistics.normalisedEntropy(grid),
            SaliencyStatistics.gini(grid),
            peakX,
            peakY,
            mass,
            hit));
  }
}
