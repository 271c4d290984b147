package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.option.OptionType;

/**
 * RISE (Petsiuk et al. 2018): the input is multiplied by each of N = --rise-masks random masks
 * ({@link RiseMasks}, shared by all images), and a pixel's value is the mask-weighted mean of the
 * target's softmax probability, sum_i p(x ⊙ M_i) M_i(pixel) / sum_i M_i(pixel). The paper divides
 * by N·E[M] instead; the two agree in expectation, and this one stays unbiased where few masks
 * cover a pixel. Masked-out pixels become 0, the dataset-mean colour after normalisation.
 * Forward-only: runs with autograd off.
 *
 * <p>The map carries the mean masked probability as an offset, and the stored float32 keeps about 7
 * digits of it: variations below ~1e-7 of the offset are lost. For a model whose logits are scaled
 * by 1e-12 the probabilities vary by ~1e-13 and the map is flat (its statistics say so: entropy 1,
 * no pointing hit).
 */
public final class RiseMethod implements SaliencyMethod {
  static final String NAME = "rise";
  // The masks are kept in executor memory at one byte per pixel.
  private static final long MAX_MASK_BYTES = 1L << 30;

  /** Random masks per image. */
  public static final Option<Integer> MASKS =
      Option.ofMethods(
          "rise-masks", OptionType.integer(1, 1_000_000), "1000", "random masks per image");

  /** Masks are drawn on an N × N grid, then upsampled. */
  public static final Option<Integer> GRID =
      Option.ofMethods(
          "rise-grid",
          OptionType.integer(1, 4096),
          "7",
          "masks are drawn on an N x N grid, then upsampled");

  /** Probability that a grid cell is kept. */
  public static final Option<Float> P =
      Option.ofMethods(
          "rise-p",
          OptionType.decimal(0f, 1f, true),
          "0.5",
          "probability that a grid cell is kept");

  static final MethodDefinition DEFINITION =
      MethodDefinition.of(NAME, options -> new RiseMethod(), List.of(MASKS, GRID, P, Seeds.SEED))
          .checkedBy(RiseMethod::check);

  private static void check(MethodOptions options, int imageSize, boolean selected) {
    if (options.get(GRID) > imageSize) {
      throw ConfigException.of(
          GRID.name(),
          "'%d' must be between 1 and %d (the image size)",
          options.get(GRID),
          imageSize);
    }
    long maskBytes = (long) options.get(MASKS) * imageSize * imageSize;
    if (selected && maskBytes > MAX_MASK_BYTES) {
      throw ConfigException.of(
          MASKS.name(),
          "'%d' masks of %dx%d need %d MB, more than %d MB",
          options.get(MASKS),
          imageSize,
          imageSize,
          maskBytes >> 20,
          MAX_MASK_BYTES >> 20);
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

  private static final class Plan implements SamplePlan {
    private final ExplainBatch batch;
    private final RiseMasks masks;
    private final NDArray[] sums;
    private NDArray deviceMasks;

    Plan(ExplainBatch batch) {
      this.batch = batch;
      MethodOptions o = batch.options();
      this.masks =
          RiseMasks.of(o.get(Seeds.SEED), o.get(MASKS), o.get(GRID), o.get(P), batch.imageSize());
      this.sums = new NDArray[batch.size()];
    }

    /** The 8-bit masks on the device, [N, 1, S, S] uint8, uploaded once per batch. */
    private NDArray masks(DeviceBatch device) {
      if (deviceMasks == null) {
        deviceMasks = masks.upload(device.manager());
      }
      return deviceMasks;
    }

    @Override
    public int samplesPerImage() {
      return masks.count();
    }

    /** x ⊙ M for each pair: one gather of images, one of masks, one product. */
    @Override
    public NDArray inputs(DeviceBatch device, MicroBatch pairs) {
      int[] which = new int[pairs.size()];
      for (int k = 0; k < which.length; k++) {
        which[k] = pairs.sample(k);
      }
      NDArray x = device.gather(pairs.images(), pairs.scope());
      return x.mul(RiseMasks.values(DeviceBatch.rows(masks(device), which, pairs.scope())));
    }

    @Override
    public Probe probe() {
      return Probes.FORWARD;
    }

    @Override
    public void accumulate(DeviceBatch device, MicroBatch outputs) {
      NDArray all = masks(device);
      for (int k = 0; k < outputs.size(); k++) {
        int image = outputs.image(k);
        if (sums[image] == null) {
          sums[image] = device.zeros(new Shape(batch.imageSize(), batch.imageSize()));
        }
        double prob = outputs.probability(k, batch.target(image));
        NDArray mask =
            RiseMasks.values(all.get(outputs.sample(k) + ", 0")).toType(DataType.FLOAT64, false);
        sums[image].addi(mask.mul(prob));
      }
    }

    @Override
    public NDArray maps(DeviceBatch device) {
      int size = batch.imageSize();
      double[] cover = new double[size * size];
      for (int p = 0; p < cover.length; p++) {
        // A pixel no mask covers has a sum of 0: divided by 1, it stays 0.
        cover[p] = masks.coverage(p) > 0 ? masks.coverage(p) : 1;
      }
      NDArray out =
          NDArrays.stack(new NDList(sums))
              .div(device.manager().create(cover, new Shape(size, size)));
      // A target of probability below 1e-38 (--target label) would otherwise give subnormals or
      // zeros.
      return FloatRange.fit(out);
    }
  }
}
