package org.sparksaliency.job.image;

/**
 * Orients, resizes and normalises packed RGB pixels into the model's channel-major float input in
 * one pass.
 *
 * <p>Resizing is bilinear with half-pixel centres, the convention of PyTorch's {@code
 * F.interpolate(mode="bilinear", align_corners=False, antialias=False)}: along each axis the source
 * coordinate of output index d is (d + 0.5) × srcSize / dstSize − 0.5, clamped to the first and
 * last pixel. The aspect ratio is not kept.
 *
 * <p>The EXIF orientation is applied before resizing, but without copying the pixels: it is folded
 * into the per-axis index tables. That is exact, because the half-pixel formula is symmetric — the
 * source coordinate of output d counted from the end is srcSize − 1 minus that of d counted from
 * the start — so resizing a mirrored or transposed image equals mirroring or transposing the
 * resized one.
 *
 * <p>Normalisation ((v / 255 − mean) / std) is affine and the bilinear weights sum to one, so it is
 * applied to the interpolated value, which gives the same result as normalising first.
 */
final class BilinearResampler {
  private BilinearResampler() {}

  /**
   * @param pixels the stored image
   * @param orientation how the stored image is displayed
   * @param size output width and height
   * @param mean per-channel mean, in [0, 1] units
   * @param std per-channel standard deviation, in [0, 1] units
   * @return 3 × size × size floats: R plane, G plane, B plane, each row-major
   */
  static float[] toChw(
      RgbPixels pixels, Orientation orientation, int size, float[] mean, float[] std) {
    int w = pixels.width();
    int h = pixels.height();
    int displayedWidth = orientation.displayedWidth(w, h);
    int displayedHeight = orientation.displayedHeight(w, h);
    // Offsets into the row-major stored array contributed by the displayed x and y coordinates.
    int strideX = orientation.transposed() ? w : 1;
    int strideY = orientation.transposed() ? 1 : w;
    Axis xs = Axis.of(displayedWidth, size, orientation.reverseX(), strideX);
    Axis ys = Axis.of(displayedHeight, size, orientation.reverseY(), strideY);

    float[] scale = new float[3];
    float[] offset = new float[3];
    for (int c = 0; c < 3; c++) {
      scale[c] = 1f / (255f * std[c]);
      offset[c] = -mean[c] / std[c];
    }
    int[] rgb = pixels.rgb();
    int plane = size * size;
    float[] out = new float[3 * plane];
    for (int oy = 0; oy < size; oy++) {
      int top = ys.offset0[oy];
      int bottom = ys.offset1[oy];
      float wy1 = ys.weight1[oy];
      float wy0 = 1f - wy1;
      for (int ox = 0; ox < size; ox++) {
        int left = xs.offset0[ox];
        int right = xs.offset1[ox];
        float wx1 = xs.weight1[ox];
        float wx0 = 1f - wx1;
        int p00 = rgb[top + left];
        int p01 = rgb[top + right];
        int p10 = rgb[bottom + left];
        int p11 = rgb[bottom + right];
        int at = oy * size + ox;
        for (int c = 0, shift = 16; c < 3; c++, shift -= 8) {
          float upper = wx0 * ((p00 >> shift) & 0xff) + wx1 * ((p01 >> shift) & 0xff);
          float lower = wx0 * ((p10 >> shift) & 0xff) + wx1 * ((p11 >> shift) & 0xff);
          float value = wy0 * upper + wy1 * lower;
          out[c * plane + at] = value * scale[c] + offset[c];
        }
      }
    }
    return out;
  }

  /**
   * For each output index along one axis: the two neighbouring source offsets and the weight of the
   * second.
   */
  private static final class Axis {
    final int[] offset0;
    final int[] offset1;
    final float[] weight1;

    private Axis(int[] offset0, int[] offset1, float[] weight1) {
      this.offset0 = offset0;
      this.offset1 = offset1;
      this.weight1 = weight1;
    }

    /**
     * @param srcSize displayed length of the axis
     * @param dstSize output length
     * @param reverse whether the displayed axis runs backwards over the stored one
     * @param stride array offset of one step along the stored axis
     */
    static Axis of(int srcSize, int dstSize, boolean reverse, int stride) {
      int[] offset0 = new int[dstSize];
      int[] offset1 = new int[dstSize];
      float[] weight1 = new float[dstSize];
      double scale = (double) srcSize / dstSize;
      for (int d = 0; d < dstSize; d++) {
        double s = Math.max(0.0, (d + 0.5) * scale - 0.5);
        int i0 = Math.min((int) s, srcSize - 1);
        int i1 = Math.min(i0 + 1, srcSize - 1);
        weight1[d] = (float) (s - i0); // irrelevant past the last pixel, where i0 == i1
        offset0[d] = stored(i0, srcSize, reverse) * stride;
        offset1[d] = stored(i1, srcSize, reverse) * stride;
      }
      return new Axis(offset0, offset1, weight1);
    }

    private static int stored(int displayed, int size, boolean reverse) {
      return reverse ? size - 1 - displayed : displayed;
    }
  }
}
