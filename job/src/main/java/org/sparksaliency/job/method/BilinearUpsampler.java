package org.sparksaliency.job.method;

/**
 * Bilinear resize of a row-major map with half-pixel centres, as PyTorch's {@code
 * interpolate(mode="bilinear", align_corners=False)}: source coordinate = (dst + 0.5) * scale -
 * 0.5, clamped at the edges.
 */
public final class BilinearUpsampler {
  private BilinearUpsampler() {}

  public static float[] resize(
      float[] src, int srcHeight, int srcWidth, int dstHeight, int dstWidth) {
    if (srcHeight == dstHeight && srcWidth == dstWidth) {
      return src.clone();
    }
    int[] y0 = new int[dstHeight];
    int[] y1 = new int[dstHeight];
    float[] wy = new float[dstHeight];
    axis(srcHeight, dstHeight, y0, y1, wy);
    int[] x0 = new int[dstWidth];
    int[] x1 = new int[dstWidth];
    float[] wx = new float[dstWidth];
    axis(srcWidth, dstWidth, x0, x1, wx);
    float[] dst = new float[dstHeight * dstWidth];
    for (int y = 0; y < dstHeight; y++) {
      int r0 = y0[y] * srcWidth;
      int r1 = y1[y] * srcWidth;
      float fy = wy[y];
      for (int x = 0; x < dstWidth; x++) {
        float top = src[r0 + x0[x]] * (1 - wx[x]) + src[r0 + x1[x]] * wx[x];
        float bottom = src[r1 + x0[x]] * (1 - wx[x]) + src[r1 + x1[x]] * wx[x];
        dst[y * dstWidth + x] = top * (1 - fy) + bottom * fy;
      }
    }
    return dst;
  }

  private static void axis(int src, int dst, int[] i0, int[] i1, float[] w) {
    double scale = (double) src / dst;
    for (int d = 0; d < dst; d++) {
      double s = Math.max(0, (d + 0.5) * scale - 0.5);
      int lo = Math.min((int) Math.floor(s), src - 1);
      i0[d] = lo;
      i1[d] = Math.min(lo + 1, src - 1);
      w[d] = (float) (s - lo);
    }
  }
}
