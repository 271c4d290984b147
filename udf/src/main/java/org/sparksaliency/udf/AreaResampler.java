package org.sparksaliency.udf;

/**
 * Resamples a row-major grid by area averaging: each output cell is the mean of the input it
 * covers, weighted by overlap. Down-sampling loses no mass; up-sampling repeats cells (nearest by
 * area).
 */
public final class AreaResampler {
  private AreaResampler() {}

  /** Returns {@code src} itself when the sizes are equal. */
  public static float[] resample(
      float[] src, int srcHeight, int srcWidth, int dstHeight, int dstWidth) {
    if (src.length != srcHeight * srcWidth) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot resample heatmap: %d values do not fill %d x %d",
              src.length, srcHeight, srcWidth));
    }
    if (dstHeight <= 0 || dstWidth <= 0) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot resample heatmap: target size must be positive (%d x %d)",
              dstHeight, dstWidth));
    }
    if (srcHeight == dstHeight && srcWidth == dstWidth) {
      return src;
    }
    Weights rows = Weights.of(srcHeight, dstHeight);
    Weights cols = Weights.of(srcWidth, dstWidth);
    float[] dst = new float[dstHeight * dstWidth];
    for (int oy = 0; oy < dstHeight; oy++) {
      for (int ox = 0; ox < dstWidth; ox++) {
        double sum = 0;
        for (int a = rows.start[oy]; a < rows.start[oy + 1]; a++) {
          double rowSum = 0;
          int base = rows.index[a] * srcWidth;
          for (int b = cols.start[ox]; b < cols.start[ox + 1]; b++) {
            rowSum += cols.weight[b] * src[base + cols.index[b]];
          }
          sum += rows.weight[a] * rowSum;
        }
        dst[oy * dstWidth + ox] = (float) sum;
      }
    }
    return dst;
  }

  /**
   * The resampling along one axis as a dense dstSize × srcSize matrix (row-major): row o holds the
   * weights of the input cells output cell o averages. A map M of srcSize² cells resamples to A · M
   * · Aᵀ, which is how the job runs it as engine ops on the model's device.
   */
  public static double[] matrix(int srcSize, int dstSize) {
    if (srcSize <= 0 || dstSize <= 0) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot resample heatmap: sizes must be positive (%d to %d)", srcSize, dstSize));
    }
    Weights w = Weights.of(srcSize, dstSize);
    double[] out = new double[dstSize * srcSize];
    for (int o = 0; o < dstSize; o++) {
      for (int a = w.start[o]; a < w.start[o + 1]; a++) {
        out[o * srcSize + w.index[a]] = w.weight[a];
      }
    }
    return out;
  }

  /**
   * For each output cell along one axis: the input cells it overlaps and their normalised weights.
   */
  private static final class Weights {
    final int[] start;
    final int[] index;
    final double[] weight;

    private Weights(int[] start, int[] index, double[] weight) {
      this.start = start;
      this.index = index;
      this.weight = weight;
    }

    static Weights of(int srcSize, int dstSize) {
      double scale = (double) srcSize / dstSize;
      int[] start = new int[dstSize + 1];
      int capacity = dstSize * ((int) Math.ceil(scale) + 2);
      int[] index = new int[capacity];
      double[] weight = new double[capacity];
      int n = 0;
      for (int o = 0; o < dstSize; o++) {
        start[o] = n;
        double lo = o * scale;
        double hi = (o + 1) * scale;
        for (int i = (int) Math.floor(lo); i < Math.min(srcSize, (int) Math.ceil(hi)); i++) {
          double overlap = Math.min(hi, i + 1) - Math.max(lo, i);
          if (overlap > 1e-12) {
            index[n] = i;
            weight[n] = overlap / scale;
            n++;
          }
        }
      }
      start[dstSize] = n;
      return new Weights(start, index, weight);
    }
  }
}
