package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.sparksaliency.job.model.TorchModel;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.option.OptionType;

/**
 * Attention rollout (Abnar &amp; Zuidema 2020) over one fused attention matrix per layer:
 * optionally zero the lowest share of each matrix (never the class token's attention to itself),
 * add the identity for the residual connection, renormalise every row to sum 1, and multiply
 * through the layers, last layer on the left. The heatmap is the class token's row of the product
 * over the patch tokens.
 *
 * <p>Runs in plain Java, in double precision, on a copy taken once: only the class-token row of the
 * product is needed, so it is carried as a vector through the layers (O(layers × tokens²) per
 * image), and gradient-weighted attention is small next to the identity, which float32 would round
 * away.
 */
public final class Rollout {
  /** Share of each layer's lowest fused attention set to zero before the identity is added. */
  public static final Option<Double> DISCARD =
      Option.ofMethods(
          "rollout-discard",
          OptionType.real(0, 1, false),
          "0",
          "share 0 <= d < 1 of each layer's lowest attention set to zero");

  private final double discard;

  /**
   * @param discard share of each layer's entries to set to zero, 0 ≤ discard &lt; 1
   */
  Rollout(double discard) {
    this.discard = discard;
  }

  /**
   * Maps for a micro-batch at the size of {@code input}, on the model's patch grid.
   *
   * @param fused [layers, batch, tokens, tokens], non-negative
   */
  float[][] heatmaps(TorchModel model, NDArray fused, NDArray input) {
    PatchGrid grid = PatchGrid.of(model, fused.getManager());
    int first = grid.firstPatch(model, fused.getShape().get(2), "attentions(x)");
    return heatmaps(
        fused,
        grid,
        first,
        Math.toIntExact(input.getShape().get(2)),
        Math.toIntExact(input.getShape().get(3)));
  }

  /**
   * Maps for a micro-batch, bilinearly upsampled (half-pixel centres) from the patch grid to height
   * × width.
   *
   * @param fused [layers, batch, tokens, tokens], non-negative
   * @param first index of the first patch token
   */
  float[][] heatmaps(NDArray fused, PatchGrid grid, int first, int height, int width) {
    Shape s = fused.getShape();
    int layers = Math.toIntExact(s.get(0));
    int batch = Math.toIntExact(s.get(1));
    int tokens = Math.toIntExact(s.get(2));
    float[] all = fused.toFloatArray();
    float[][] out = new float[batch][];
    for (int i = 0; i < batch; i++) {
      double[] row = classRow(all, layers, batch, tokens, i);
      float[] patches = new float[grid.patches()];
      for (int p = 0; p < patches.length; p++) {
        patches[p] = (float) row[first + p];
      }
      out[i] = BilinearUpsampler.resize(patches, grid.rows(), grid.cols(), height, width);
    }
    return out;
  }

  /**
   * The class-token row of the rolled-out attention of one sample.
   *
   * @param fused [layers, batch, tokens, tokens] row-major
   */
  double[] classRow(float[] fused, int layers, int batch, int tokens, int sample) {
    int plane = tokens * tokens;
    double[] v = new double[tokens];
    v[0] = 1;
    double[] a = new double[plane];
    // v^T A_L ... A_1: the last layer's matrix is applied first.
    for (int l = layers - 1; l >= 0; l--) {
      int offset = (l * batch + sample) * plane;
      for (int k = 0; k < plane; k++) {
        a[k] = fused[offset + k];
      }
      discardLowest(a);
      double[] next = new double[tokens];
      for (int r = 0; r < tokens; r++) {
        double sum = 1;
        for (int c = 0; c < tokens; c++) {
          sum += a[r * tokens + c];
        }
        double w = v[r] / sum;
        if (w == 0) {
          continue;
        }
        for (int c = 0; c < tokens; c++) {
          next[c] += w * (a[r * tokens + c] + (r == c ? 1 : 0));
        }
      }
      v = next;
    }
    return v;
  }

  /** Zeroes the floor(discard × entries) lowest entries (ties by position), except entry (0, 0). */
  private void discardLowest(double[] a) {
    int k = (int) Math.floor(a.length * discard);
    if (k == 0) {
      return;
    }
    double[] sorted = a.clone();
    Arrays.sort(sorted);
    double cut = sorted[k - 1];
    int below = 0;
    for (double x : a) {
      if (x < cut) {
        below++;
      }
    }
    int ties = k - below;
    for (int i = 0; i < a.length; i++) {
      boolean chosen = a[i] < cut || (a[i] == cut && ties-- > 0);
      if (chosen && i != 0) {
        a[i] = 0;
      }
    }
  }
}
