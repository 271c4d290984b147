package org.sparksaliency.job.method;

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
    private final int values;
    private final float[][] baselines;
    private final double[][] gradientSums;
    private final double[] baselineLogit;
    private final double[] inputLogit;

    Plan(ExplainBatch batch) {
      this.batch = batch;
      this.steps = batch.options().get(STEPS);
      this.values = 3 * batch.plane();
      int n = batch.size();
      this.baselines = new float[n][];
      this.gradientSums = new double[n][];
      this.baselineLogit = new double[n];
      this.inputLogit = new double[n];
    }

    /** steps path points, then the baseline, then the input. */
    @Override
    public int samplesPerImage() {
      return steps + 2;
    }

    private float[] baseline(int image) {
      if (baselines[image] == null) {
        baselines[image] = Baselines.of(batch.options().get(BASELINE), batch, image);
      }
      return baselines[image];
    }

    @Override
    public void fill(int image, int sample, float[] dst, int offset) {
      float[] x = batch.image(image);
      float[] b = baseline(image);
      if (sample == steps) {
        System.arraycopy(b, 0, dst, offset, values);
      } else if (sample == steps + 1) {
        System.arraycopy(x, 0, dst, offset, values);
      } else {
        float alpha = (float) MidpointRule.point(sample, steps);
        for (int i = 0; i < values; i++) {
          dst[offset + i] = b[i] + alpha * (x[i] - b[i]);
        }
      }
    }

    @Override
    public Probe probe() {
      return Probes.INPUT_GRADIENT;
    }

    @Override
    public void accumulate(int image, int sample, SampleOutputs outputs, int row) {
      double logit = outputs.logit(row, batch.target(image));
      if (sample == steps) {
        baselineLogit[image] = logit;
      } else if (sample == steps + 1) {
        inputLogit[image] = logit;
      } else {
        if (gradientSums[image] == null) {
          gradientSums[image] = new double[values];
        }
        double[] sum = gradientSums[image];
        float[] g = outputs.values(0);
        int base = row * values;
        double w = MidpointRule.weight(steps);
        for (int i = 0; i < values; i++) {
          sum[i] += w * g[base + i];
        }
      }
    }

    private double[] attribution(int image) {
      float[] x = batch.image(image);
      float[] b = baseline(image);
      double[] sum = gradientSums[image];
      double[] a = new double[values];
      for (int i = 0; i < values; i++) {
        a[i] = ((double) x[i] - b[i]) * sum[i];
      }
      return a;
    }

    @Override
    public float[] map(int image) {
      return ChannelMaps.sum(attribution(image), batch.plane());
    }

    @Override
    public OptionalDouble completenessError(int image) {
      double total = 0;
      for (double v : attribution(image)) {
        total += v;
      }
      return OptionalDouble.of(total - (inputLogit[image] - baselineLogit[image]));
    }
  }
}
