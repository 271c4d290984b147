package org.sparksaliency.job.method;

/**
 * Separable Gaussian blur of a CHW image: kernel exp(−d² / 2σ²) over |d| ≤ ceil(3σ), normalised to
 * sum 1, edges extended by repeating the border pixel.
 */
final class GaussianBlur {
  private GaussianBlur() {}

  static float[] blur(float[] chw, int channels, int height, int width, double sigma) {
    int radius = (int) Math.ceil(3 * sigma);
    double[] k = new double[2 * radius + 1];
    double sum = 0;
    for (int d = -radius; d <= radius; d++) {
      k[d + radius] = Math.exp(-(d * d) / (2 * sigma * sigma));
      sum += k[d + radius];
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= sum;
    }
    int plane = height * width;
    float[] out = new float[chw.length];
    double[] rows = new double[plane];
    for (int c = 0; c < channels; c++) {
      int base = c * plane;
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          double s = 0;
          for (int d = -radius; d <= radius; d++) {
            int xx = Math.min(width - 1, Math.max(0, x + d));
            s += k[d + radius] * chw[base + y * width + xx];
          }
          rows[y * width + x] = s;
        }
      }
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          double s = 0;
          for (int d = -radius; d <= radius; d++) {
            int yy = Math.min(height - 1, Math.max(0, y + d));
            s += k[d + radius] * rows[yy * width + x];
          }
          out[base + y * width + x] = (float) s;
        }
      }
    }
    return out;
  }
}
