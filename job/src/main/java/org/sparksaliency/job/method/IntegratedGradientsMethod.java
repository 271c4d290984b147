package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.option.OptionType;

/**
 * Integrated Gradients (Sundararajan et al. 2017) with the Riemann midpoint rule ({@link
 * MidpointRule}): attribution_i = (x_i − b_i) · (1/n) sum_k d f/d x_i at b + ((k + 1/2)/n)(x − b),
 * f the target logit, n = --ig-steps, b the --ig-baseline. The heatmap is the sum over colour
 * channels (signed). Two more samples per image evaluate f(b) and f(x) for the completeness error
 * sum(attribution) − (f(x) − f(b)).
 */
public final class IntegratedGradientsMethod implements SaliencyMethod {
  static final String NAME = "integrated_gradients";

  /** Points of the midpoint rule along the path. */
  public static final Option<Integer> STEPS =
      Option.ofMethods(
          "ig-steps",
          OptionType.integer(1, 100_000),
          "32",
          "points of the midpoint rule along the path");

  /** The path's start. */
  public static final Option<IgBaseline> BASELINE =
      Option.ofMethods(
          "ig-baseline",
          OptionType.choice("baseline", IgBaseline::code, IgBaseline.values()),
          "black",
          "path start: black | blur | uniform");

  // The seed changes the maps only through the uniform baseline's draws.
  static final MethodDefinition DEFINITION =
      MethodDefinition.of(
              NAME, options -> new IntegratedGradientsMethod(), List.of(STEPS, BASELINE))
          .paramsBy(
              (options, imageSize) -> {
                Map<String, String> p = new TreeMap<>();
                p.put(STEPS.key(), STEPS.format(options.get(STEPS)));
                p.put(BASELINE.key(), BASELINE.format(options.get(BASELINE)));
                if (options.get(BASELINE) == IgBaseline.UNIFORM) {
                  p.put(Seeds.SEED.key(), Seeds.SEED.format(options.get(Seeds.SEED)));
                }
                return p;
              });

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
    private final int steps;
    private NDArray baselines;
    private final NDArray[] gradientSums;
    private final double[] baselineLogit;
    private final double[] inputLogit;
    private double[] totals;

    Plan(ExplainBatch batch) {
      this.batch = batch;
      this.steps = batch.options().get(STEPS);
      int n = batch.size();
      this.gradientSums = new NDArray[n];
      this.baselineLogit = new double[n];
      this.inputLogit = new double[n];
    }

    /** steps path points, then the baseline, then the input. */
    @Override
    public int samplesPerImage() {
      return steps + 2;
    }

    /** Every image's baseline, [B, 3, S, S] on the device, made once per batch. */
    private NDArray baselines(DeviceBatch device) {
      if (baselines == null) {
        IgBaseline kind = batch.options().get(BASELINE);
        if (kind == IgBaseline.BLACK) {
          baselines = device.images().zerosLike();
        } else {
          int values = 3 * batch.plane();
          float[] all = new float[batch.size() * values];
          for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(Baselines.of(kind, batch, i), 0, all, i * values, values);
          }
          baselines = device.manager().create(all, device.images().getShape());
        }
      }
      return baselines;
    }

    /**
     * b + α_k (x − b) for the path points, b and x for the last two samples, all as engine ops: per
     * run of one image's samples, its x − b once, broadcast against the run's α. Every element is
     * the same float32 expression as over gathered rows, so the path points are bit for bit those.
     */
    @Override
    public NDArray inputs(DeviceBatch device, MicroBatch pairs) {
      NDManager scope = pairs.scope();
      NDList parts = new NDList();
      for (MicroBatch.Run run : pairs.runs()) {
        float[] alpha = new float[run.size()];
        for (int k = 0; k < alpha.length; k++) {
          alpha[k] = alpha(run.firstSample() + k);
        }
        NDArray x = DeviceBatch.row(device.images(), run.image(), scope);
        NDArray b = DeviceBatch.row(baselines(device), run.image(), scope);
        NDArray a = scope.create(alpha, new Shape(alpha.length, 1, 1, 1));
        NDArray path = b.add(a.mul(x.sub(b)));
        // α = 0 and α = 1 must give b and x exactly: b + 1·(x − b) may round away from x.
        for (int k = 0; k < alpha.length; k++) {
          int sample = run.firstSample() + k;
          if (sample == steps) {
            path.set(new NDIndex("{}", k), b);
          } else if (sample == steps + 1) {
            path.set(new NDIndex("{}", k), x);
          }
        }
        parts.add(path);
      }
      return DeviceBatch.joined(parts);
    }

    /** The path position of sample {@code sample}: the midpoints, then 0 and 1. */
    private float alpha(int sample) {
      return sample == steps
          ? 0f
          : sample == steps + 1 ? 1f : (float) MidpointRule.point(sample, steps);
    }

    @Override
    public Probe probe() {
      return Probes.INPUT_GRADIENT;
    }

    /**
     * Reads the baseline's and the input's logits, and adds each image's path gradients of the
     * micro-batch to its float64 sum: its path points in a micro-batch are consecutive rows, one
     * sum on the device.
     */
    @Override
    public void accumulate(DeviceBatch device, MicroBatch outputs) {
      for (int k = 0; k < outputs.size(); k++) {
        int image = outputs.image(k);
        if (outputs.sample(k) == steps) {
          baselineLogit[image] = outputs.logit(k, batch.target(image));
        } else if (outputs.sample(k) == steps + 1) {
          inputLogit[image] = outputs.logit(k, batch.target(image));
        }
      }
      NDArray grads = outputs.value(0);
      for (MicroBatch.Run run : outputs.runs()) {
        int points = Math.min(run.size(), steps - run.firstSample());
        if (points <= 0) {
          continue;
        }
        NDArray g = grads.get(new NDIndex("{}:{}", run.from(), run.from() + points));
        NDArray sum = g.toType(DataType.FLOAT64, false).sum(new int[] {0});
        if (gradientSums[run.image()] == null) {
          gradientSums[run.image()] = device.zeros(sum.getShape());
        }
        gradientSums[run.image()].addi(sum);
      }
    }

    /**
     * (x − b) · w · sum of the path gradients (w the midpoint rule's weight), float64 [B, 3, S, S].
     */
    private NDArray attributions(DeviceBatch device) {
      NDArray x = device.images().toType(DataType.FLOAT64, false);
      NDArray b = baselines(device).toType(DataType.FLOAT64, false);
      return x.sub(b).mul(NDArrays.stack(new NDList(gradientSums)).mul(MidpointRule.weight(steps)));
    }

    @Override
    public NDArray maps(DeviceBatch device) {
      NDArray a = attributions(device);
      totals = a.reshape(batch.size(), -1).sum(new int[] {1}).toDoubleArray();
      return FloatRange.fit(ChannelMaps.sum(a));
    }

    @Override
    public OptionalDouble completenessError(int image) {
      if (totals == null) {
        throw new IllegalStateException("Cannot give a completeness error before the maps");
      }
      return OptionalDouble.of(totals[image] - (inputLogit[image] - baselineLogit[image]));
    }
  }
}
