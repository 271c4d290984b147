package org.sparksaliency.job.visualize;

/** Operations on normalised CHW images of 3 square planes, used by the class-image optimiser. */
final class ImageOps {
  private ImageOps() {}

  /** The image shifted by (dx, dy) pixels with wrap-around: out[y][x] = in[y - dy][x - dx]. */
  static float[] roll(float[] chw, int size, int dx, int dy) {
    if (dx == 0 && dy == 0) {
      return chw.clone();
    }
    float[] out = new float[chw.length];
    int plane = size * size;
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < size; y++) {
        int sy = Math.floorMod(y - dy, size);
        for (int x = 0; x < size; x++) {
          out[c * plane + y * size + x] = chw[c * plane + sy * size + Math.floorMod(x - dx, size)];
        }
      }
    }
    return out;
  }

  /** Separable Gaussian blur of each plane (radius ceil(3 sigma), edges clamped). */
  static float[] gaussianBlur(float[] chw, int size, float sigma) {
    int radius = Math.max(1, (int) Math.ceil(3 * sigma));
    float[] kernel = new float[2 * radius + 1];
    double sum = 0;
    for (int k = -radius; k <= radius; k++) {
      kernel[k + radius] = (float) Math.exp(-(k * k) / (2.0 * sigma * sigma));
      sum += kernel[k + radius];
    }
    for (int k = 0; k < kernel.length; k++) {
      kernel[k] /= (float) sum;
    }
    float[] tmp = new float[chw.length];
    float[] out = new float[chw.length];
    int plane = size * size;
    for (int c = 0; c < 3; c++) {
      int o = c * plane;
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          float v = 0;
          for (int k = -radius; k <= radius; k++) {
            v += kernel[k + radius] * chw[o + y * size + clamp(x + k, size)];
          }
          tmp[o + y * size + x] = v;
        }
      }
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          float v = 0;
          for (int k = -radius; k <= radius; k++) {
            v += kernel[k + radius] * tmp[o + clamp(y + k, size) * size + x];
          }
          out[o + y * size + x] = v;
        }
      }
    }
    return out;
  }

  /** Clips every value to what a pixel in [0, 1] becomes after normalisation. */
  static void clampToPixelRange(float[] chw, int size, float[] mean, float[] std) {
    int plane = size * size;
    for (int c = 0; c < 3; c++) {
      float lo = (0 - mean[c]) / std[c];
      float hi = (1 - mean[c]) / std[c];
      for (int i = c * plane; i < (c + 1) * plane; i++) {
        chw[i] = Math.min(hi, Math.max(lo, chw[i]));
      }
    }
  }

  /** Packed RGB (0xRRGGBB) pixels, row-major, of a normalised image. */
  static int[] toRgb(float[] chw, int size, float[] mean, float[] std) {
    int plane = size * size;
    int[] out = new int[plane];
    for (int i = 0; i < plane; i++) {
      int rgb = 0;
      for (int c = 0; c < 3; c++) {
        float pixel = chw[c * plane + i] * std[c] + mean[c];
        int v = Math.round(Math.min(1f, Math.max(0f, pixel)) * 255f);
        rgb = (rgb << 8) | v;
      }
      out[i] = rgb;
    }
    return out;
  }

  private static int clamp(int i, int size) {
    return i < 0 ? 0 : (i >= size ? size - 1 : i);
  }
}
