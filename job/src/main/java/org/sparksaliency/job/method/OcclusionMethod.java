package org.sparksaliency.job.method;

import java.util.ArrayList;
import java.util.List;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.option.OptionType;

/**
 * Occlusion (Zeiler and Fergus 2014): a square of side --occlusion-window, set to 0 in every
 * channel (the dataset-mean colour after normalisation), slides over the input with step
 * --occlusion-stride; the last position along each axis touches the border, so every pixel is
 * covered. A pixel's value is p(x) minus the mean of p(occluded x) over the windows covering it, p
 * the target's softmax probability: the drop in target probability, signed (occluding can raise
 * it). Each window's drop is computed from the two logit rows ({@link ProbabilityDrop}), so it
 * stays accurate when it is far smaller than p(x). Forward-only: runs with autograd off.
 */
public final class OcclusionMethod implements SaliencyMethod {
  static final String NAME = "occlusion";

  /** Window side in input pixels; 0: image-size / 8. */
  public static final Option<Integer> WINDOW =
      Option.ofMethods(
          "occlusion-window",
          OptionType.integer(0, 4096),
          "0",
          "window side in input pixels (0: image-size/8)");

  /** Window step in input pixels; 0: half the window. */
  public static final Option<Integer> STRIDE =
      Option.ofMethods(
          "occlusion-stride",
          OptionType.integer(0, Integer.MAX_VALUE),
          "0",
          "window step in input pixels (0: window/2)");

  // method_params holds the window and stride resolved for the image size.
  static final MethodDefinition DEFINITION =
      MethodDefinition.of(NAME, options -> new OcclusionMethod(), List.of(WINDOW, STRIDE))
          .checkedBy(OcclusionMethod::check)
          .paramsBy(
              (options, imageSize) ->
                  new java.util.TreeMap<>(
                      java.util.Map.of(
                          WINDOW.key(), Integer.toString(window(options, imageSize)),
                          STRIDE.key(), Integer.toString(stride(options, imageSize)))));

  /** The window for an imageSize × imageSize input: as given, or 1/8 of the side (at least 1). */
  static int window(MethodOptions options, int imageSize) {
    int w = options.get(WINDOW);
    return w > 0 ? w : Math.max(1, imageSize / 8);
  }

  /** The stride for an imageSize × imageSize input: as given, or half the window (at least 1). */
  static int stride(MethodOptions options, int imageSize) {
    int s = options.get(STRIDE);
    return s > 0 ? s : Math.max(1, window(options, imageSize) / 2);
  }

  private static void check(MethodOptions options, int imageSize, boolean selected) {
    if (options.get(WINDOW) > imageSize) {
      throw ConfigException.of(
          WINDOW.name(),
          "'%d' must be between 0 and %d (the image size)",
          options.get(WINDOW),
          imageSize);
    }
    int effective = window(options, imageSize);
    if (options.get(STRIDE) > effective) {
      throw ConfigException.of(
          STRIDE.name(),
          "'%d' must be at most the occlusion window (%d), or 0 for half of it",
          options.get(STRIDE),
          effective);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SamplePlan plan(ExplainBatch batch) {
    return new Plan(batch);
  }

  /**
   * Window starts along one axis: 0, stride, 2·stride, ..., and size − window if not already there.
   */
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
      this.window = window(batch.options(), size);
      this.starts = starts(size, window, stride(batch.options(), size));
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

    /**
     * Sample 0, the image itself, comes first (see {@link SamplePlan}): the windows' drops are from
     * it.
     */
    @Override
    public void accumulate(int image, int sample, SampleOutputs outputs, int row) {
      if (sample == 0) {
        unoccludedLogits[image] = outputs.logits(row);
        dropSums[image] = new double[size * size];
        return;
      }
      double drop =
          ProbabilityDrop.of(unoccludedLogits[image], outputs.logits(row), batch.target(image));
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
