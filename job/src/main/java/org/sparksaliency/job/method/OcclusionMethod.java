package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
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
    private final NDArray[] dropSums;

    Plan(ExplainBatch batch) {
      this.batch = batch;
      this.size = batch.imageSize();
      this.window = window(batch.options(), size);
      this.starts = starts(size, window, stride(batch.options(), size));
      this.coverage = new int[size * size];
      for (int wy : starts) {
        for (int wx : starts) {
          for (int y = wy; y < wy + window; y++) {
            for (int x = wx; x < wx + window; x++) {
              coverage[y * size + x]++;
            }
          }
        }
      }
      this.unoccludedLogits = new float[batch.size()][];
      this.dropSums = new NDArray[batch.size()];
    }

    /** The window of sample {@code sample} (≥ 1) as rows and columns of the map. */
    private String cells(int sample) {
      int w = sample - 1;
      int y0 = starts[w / starts.length];
      int x0 = starts[w % starts.length];
      return String.format("%d:%d, %d:%d", y0, y0 + window, x0, x0 + window);
    }

    /** The image itself, then one sample per window position. */
    @Override
    public int samplesPerImage() {
      return 1 + starts.length * starts.length;
    }

    /** The images gathered on the device, each window set to 0 in every channel by one op. */
    @Override
    public NDArray inputs(DeviceBatch device, MicroBatch pairs) {
      NDArray x = device.gather(pairs.images(), pairs.scope());
      for (int k = 0; k < pairs.size(); k++) {
        if (pairs.sample(k) > 0) {
          x.set(new NDIndex(k + ", :, " + cells(pairs.sample(k))), 0f);
        }
      }
      return x;
    }

    @Override
    public Probe probe() {
      return Probes.FORWARD;
    }

    /**
     * Sample 0, the image itself, comes first (see {@link SamplePlan}): the windows' drops are from
     * it. Each window's drop (a scalar from the two logit rows) is added to its cells on the
     * device.
     */
    @Override
    public void accumulate(DeviceBatch device, MicroBatch outputs) {
      for (int k = 0; k < outputs.size(); k++) {
        int image = outputs.image(k);
        int sample = outputs.sample(k);
        if (sample == 0) {
          unoccludedLogits[image] = outputs.logits(k);
          dropSums[image] = device.zeros(new Shape(size, size));
          continue;
        }
        double drop =
            ProbabilityDrop.of(unoccludedLogits[image], outputs.logits(k), batch.target(image));
        NDIndex cells = new NDIndex(cells(sample));
        NDArray sum = dropSums[image];
        sum.set(cells, sum.get(cells).add(drop));
      }
    }

    @Override
    public NDArray maps(DeviceBatch device) {
      double[] cover = new double[coverage.length];
      for (int q = 0; q < cover.length; q++) {
        cover[q] = coverage[q];
      }
      NDArray c = device.manager().create(cover, new Shape(size, size));
      return FloatRange.fit(NDArrays.stack(new NDList(dropSums)).div(c));
    }
  }
}
