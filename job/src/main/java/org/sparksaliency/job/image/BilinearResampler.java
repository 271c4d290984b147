package org.sparksaliency.job.image;

/**
 * Orients, resizes, crops and normalises packed RGB pixels into the model's channel-major float
 * input.
 *
 * <p>Resizing is PIL's and torchvision's antialiased bilinear ({@code Resize(antialias=True)},
 * PyTorch's {@code _upsample_bilinear2d_aa}): along each axis, output index i is centred at source
 * coordinate c = (i + 0.5) × scale (scale = source / resized length) and averages the source pixels
 * j with the triangle weight max(0, 1 − |j + 0.5 − c| / s), s = max(scale, 1), renormalised over
 * the pixels inside the image. Shrinking therefore averages every pixel the output covers (no
 * aliasing); enlarging (s = 1) is plain bilinear interpolation with half-pixel centres. The two
 * axes are filtered one after the other in float32 (as PyTorch does for float tensors), and the
 * result is rounded to 8 bits (half to even) as torchvision does for uint8 images and PIL does
 * always; a model trained on {@code Resize(...)} of PIL images or {@code read_image} tensors sees
 * the same bytes, up to the rounding of values within float error of a half.
 *
 * <p>Only the outputs inside the {@link InputRegion} are computed: a centre crop of a resized image
 * equals resizing with the filter windows of the kept rows and columns.
 *
 * <p>The EXIF orientation is applied without copying the pixels: the filter runs along the
 * displayed axes and each displayed index is mapped to its stored offset.
 *
 * <p>Normalisation ((v / 255 − mean) / std) follows the rounding.
 */
final class BilinearResampler {
  private BilinearResampler() {}

  /**
   * @param pixels the stored image
   * @param orientation how the stored image is displayed
   * @param region where the input lies in the resized, displayed image
   * @param mean per-channel mean, in [0, 1] units
   * @param std per-channel standard deviation, in [0, 1] units
   * @return 3 × size × size floats: R plane, G plane, B plane, each row-major
   */
  static float[] toChw(
      RgbPixels pixels, Orientation orientation, InputRegion region, float[] mean, float[] std) {
    int w = pixels.width();
    int h = pixels.height();
    int size = region.size();
    // Offsets into the row-major stored array contributed by the displayed x and y coordinates.
    int strideX = orientation.transposed() ? w : 1;
    int strideY = orientation.transposed() ? 1 : w;
    FilterAxis xs =
        FilterAxis.of(
            orientation.displayedWidth(w, h),
            region.resizedWidth(),
            region.left(),
            size,
            orientation.reverseX(),
            strideX);
    FilterAxis ys =
        FilterAxis.of(
            orientation.displayedHeight(w, h),
            region.resizedHeight(),
            region.top(),
            size,
            orientation.reverseY(),
            strideY);
    int[] columns = xs.copiedIndices();
    int[] lines = ys.copiedIndices();
    if (columns != null && lines != null) {
      return copy(pixels.rgb(), xs, columns, ys, lines, size, mean, std);
    }
    float[] rows = horizontal(pixels.rgb(), xs, ys, size);
    return vertical(rows, ys, size, mean, std);
  }

  /**
   * Both axes keep their length (an image stored at the model's size): every output is one source
   * pixel with weight 1, which the filters would give exactly (the other taps weigh 0), so the
   * pixels are only reordered and normalised.
   */
  private static float[] copy(
      int[] rgb,
      FilterAxis xs,
      int[] columns,
      FilterAxis ys,
      int[] lines,
      int size,
      float[] mean,
      float[] std) {
    int plane = size * size;
    float[] out = new float[3 * plane];
    int[] columnOffset = new int[size];
    for (int x = 0; x < size; x++) {
      columnOffset[x] = xs.storedOffset(columns[x]);
    }
    PixelScale pixel = new PixelScale(mean, std);
    float[] scale = pixel.scale;
    float[] offset = pixel.offset;
    for (int y = 0; y < size; y++) {
      int rowOffset = ys.storedOffset(lines[y]);
      for (int x = 0, at = y * size; x < size; x++, at++) {
        int p = rgb[rowOffset + columnOffset[x]];
        out[at] = ((p >> 16) & 0xff) * scale[0] + offset[0];
        out[plane + at] = ((p >> 8) & 0xff) * scale[1] + offset[1];
        out[2 * plane + at] = (p & 0xff) * scale[2] + offset[2];
      }
    }
    return out;
  }

  /**
   * Filters every source row that some output row uses along x: {@code [row - ys.first][x][c]}.
   * Each row's needed pixels are unpacked once into float channels, since neighbouring outputs
   * share most of their taps.
   */
  private static float[] horizontal(int[] rgb, FilterAxis xs, FilterAxis ys, int size) {
    int rowCount = ys.last - ys.first;
    int from = xs.first;
    int span = xs.last - from;
    int[] columnOffset = new int[span];
    for (int i = 0; i < span; i++) {
      columnOffset[i] = xs.storedOffset(from + i);
    }
    float[] red = new float[span];
    float[] green = new float[span];
    float[] blue = new float[span];
    float[] out = new float[rowCount * size * 3];
    for (int r = 0; r < rowCount; r++) {
      int rowOffset = ys.storedOffset(ys.first + r);
      for (int i = 0; i < span; i++) {
        int p = rgb[rowOffset + columnOffset[i]];
        red[i] = (p >> 16) & 0xff;
        green[i] = (p >> 8) & 0xff;
        blue[i] = p & 0xff;
      }
      int at = r * size * 3;
      for (int x = 0; x < size; x++, at += 3) {
        float sumRed = 0;
        float sumGreen = 0;
        float sumBlue = 0;
        for (int k = xs.start[x], end = xs.start[x + 1]; k < end; k++) {
          int i = xs.index[k] - from;
          float weight = xs.weight[k];
          sumRed += weight * red[i];
          sumGreen += weight * green[i];
          sumBlue += weight * blue[i];
        }
        out[at] = sumRed;
        out[at + 1] = sumGreen;
        out[at + 2] = sumBlue;
      }
    }
    return out;
  }

  private static float[] vertical(
      float[] rows, FilterAxis ys, int size, float[] mean, float[] std) {
    PixelScale pixel = new PixelScale(mean, std);
    float[] scale = pixel.scale;
    float[] offset = pixel.offset;
    int plane = size * size;
    float[] out = new float[3 * plane];
    float[] sum = new float[3];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        sum[0] = 0;
        sum[1] = 0;
        sum[2] = 0;
        for (int k = ys.start[y], end = ys.start[y + 1]; k < end; k++) {
          int at = ((ys.index[k] - ys.first) * size + x) * 3;
          float weight = ys.weight[k];
          sum[0] += weight * rows[at];
          sum[1] += weight * rows[at + 1];
          sum[2] += weight * rows[at + 2];
        }
        for (int c = 0; c < 3; c++) {
          float value = Math.min(255f, Math.max(0f, (float) Math.rint(sum[c])));
          out[c * plane + y * size + x] = value * scale[c] + offset[c];
        }
      }
    }
    return out;
  }

  /**
   * The filter windows of the outputs {@code [from, from + count)} of one axis resized from {@code
   * srcSize} to {@code dstSize}: output i uses taps {@code start[i] .. start[i + 1] - 1}, each a
   * displayed source index, its stored offset and its weight.
   */
  private static final class FilterAxis {
    final int[] start;
    final int[] index;
    final float[] weight;
    final int first;
    final int last;
    private final int srcSize;
    private final boolean reverse;
    private final int stride;

    private FilterAxis(
        int[] start,
        int[] index,
        float[] weight,
        int srcSize,
        boolean reverse,
        int stride,
        int first,
        int last) {
      this.start = start;
      this.index = index;
      this.weight = weight;
      this.srcSize = srcSize;
      this.reverse = reverse;
      this.stride = stride;
      this.first = first;
      this.last = last;
    }

    /**
     * The one source index each output copies, if every output has exactly one tap of weight other
     * than 0 and that weight is 1; null if any output mixes pixels.
     */
    int[] copiedIndices() {
      int count = start.length - 1;
      int[] copied = new int[count];
      for (int i = 0; i < count; i++) {
        int found = -1;
        for (int k = start[i]; k < start[i + 1]; k++) {
          if (weight[k] != 0f) {
            if (found >= 0 || weight[k] != 1f) {
              return null;
            }
            found = index[k];
          }
        }
        if (found < 0) {
          return null;
        }
        copied[i] = found;
      }
      return copied;
    }

    int storedOffset(int displayed) {
      return (reverse ? srcSize - 1 - displayed : displayed) * stride;
    }

    static FilterAxis of(
        int srcSize, int dstSize, int from, int count, boolean reverse, int stride) {
      double scale = (double) srcSize / dstSize;
      double support = Math.max(scale, 1.0);
      double inverse = 1.0 / support;
      int[] start = new int[count + 1];
      int[] lo = new int[count];
      int[] hi = new int[count];
      for (int i = 0; i < count; i++) {
        double centre = scale * (from + i + 0.5);
        // Truncation toward zero, as PIL and PyTorch compute the window.
        lo[i] = Math.max((int) (centre - support + 0.5), 0);
        hi[i] = Math.min((int) (centre + support + 0.5), srcSize);
        start[i + 1] = start[i] + Math.max(hi[i] - lo[i], 0);
      }
      int[] index = new int[start[count]];
      double[] raw = new double[start[count]];
      float[] weight = new float[start[count]];
      int first = Integer.MAX_VALUE;
      int last = 0;
      for (int i = 0; i < count; i++) {
        double centre = scale * (from + i + 0.5);
        double total = 0;
        for (int j = lo[i], k = start[i]; j < hi[i]; j++, k++) {
          index[k] = j;
          raw[k] = Math.max(0.0, 1.0 - Math.abs((j - centre + 0.5) * inverse));
          total += raw[k];
        }
        for (int k = start[i]; k < start[i + 1]; k++) {
          weight[k] = total == 0 ? 0 : (float) (raw[k] / total);
        }
        first = Math.min(first, lo[i]);
        last = Math.max(last, hi[i]);
      }
      return new FilterAxis(start, index, weight, srcSize, reverse, stride, first, last);
    }
  }
}
