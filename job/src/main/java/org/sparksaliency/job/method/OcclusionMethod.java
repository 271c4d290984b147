package org.sparksaliency.job.method;

import java.util.ArrayList;
import java.util.List;

/**
 * Occlusion (Zeiler and Fergus 2014): a square of side --occlusion-window, set to 0 in every channel (the
 * dataset-mean colour after normalisation), slides over the input with step --occlusion-stride; the last
 * position along each axis touches the border, so every pixel is covered. A pixel's value is p(x) minus the
 * mean of p(occluded x) over the windows covering it, p the target's softmax probability: the drop in target
 * probability, signed (occluding can raise it). Each window's drop is computed from the two logit rows
 * ({@link ProbabilityDrop}), so it stays accurate when it is far smaller than p(x). Forward-only: runs with
 * autograd off.
 */
final class OcclusionMethod implements SaliencyMethod {
  static final String NAME = "occlusion";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SamplePlan plan(ExplainBatch batch) {
    return new Plan(batch);
  }

  /** Window starts along one axis: 0, stride, 2·stride, ..., and size − window if not already there. */
  static int[] starts(int size, int window, int stride) {
    List<Integer> s = new ArrayList<>();
    for (int v = 0; v + window <= size; v += stride) {
      s.add(v);
    }
    if (s.get(s.size() - 1) != size - window) {
      s.add(size - window);
    }
    return s.stream().mapToInt(Integer::intValue).toArray();
  }

  private static final class Plan implements SamplePlan {
    private final ExplainBatch batch;
    private final int size;
    private final int window;
    private final int[] starts;
    private final int[] coverage;
    private final float[][] unoccludedLogits;
    private final double[][] dropSums;

    Plan(ExplainBatch batch) {
      this.batch = batch;
      this.size = batch.imageSize();
      this.window = batch.sampling().occlusionWindow(size);
      this.starts = starts(size, window, batch.sampling().occlusionStride(size));
      this.coverage = new int[size * size];
      for (int wy : starts) {
        for (int wx : starts) {
          forEachPixel(wy, wx, p -> coverage[p]++);
        }
      }
      this.unoccludedLogits = new float[batch.size()][];
      this.dropSums = new double[batch.size()][];
    }

    private void forEachPixel(int y0, int x0, java.util.function.IntConsumer action) {
      for (int y = y0; y < y0 + window; y++) {
        for (int x = x0; x < x0 + window; x++) {
          action.accept(y * size + x);
        }
      }
    }

    /** The image itself, then one sample per window position. */
    @Override
    public int samplesPerImage() {
      return 1 + starts.length * starts.length;
    }

    @Override
    public void fill(int image, int sample, float[] dst, int offset) {
      float[] x = batch.image(image);
      System.arraycopy(x, 0, dst, offset, x.length);
      if (sample > 0) {
        int w = sample - 1;
        int plane = size * size;
        forEachPixel(
            starts[w / starts.length],
            starts[w % starts.length],
            p -> {
              for (int c = 0; c < 3; c++) {
                dst[offset + c * plane + p] = 0f;
              }
            });
      }
    }

    @Override
    public Probe probe() {
      return Probes.FORWARD;
    }

    /** Sample 0, the image itself, comes first (see {@link SamplePlan}): the windows' drops are from it. */
    @Override
    public void accumulate(int image, int sample, SampleOutputs outputs, int row) {
      if (sample == 0) {
        unoccludedLogits[image] = outputs.logits(row);
        dropSums[image] = new double[size * size];
        return;
      }
      double drop = ProbabilityDrop.of(unoccludedLogits[image], outputs.logits(row), batch.target(image));
      double[] sum = dropSums[image];
      int w = sample - 1;
      forEachPixel(starts[w / starts.length], starts[w % starts.length], q -> sum[q] += drop);
    }

    @Override
    public float[] map(int image) {
      double[] out = new double[size * size];
      for (int q = 0; q < out.length; q++) {
        out[q] = dropSums[image][q] / coverage[q];
      }
      return FloatRange.fit(out);
    }
  }
}
