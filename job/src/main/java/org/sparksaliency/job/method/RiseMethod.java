package org.sparksaliency.job.method;


/**
 * RISE (Petsiuk et al. 2018): the input is multiplied by each of N = --rise-masks random masks
 * ({@link RiseMasks}, shared by all images), and a pixel's value is the mask-weighted mean of the target's
 * softmax probability, sum_i p(x ⊙ M_i) M_i(pixel) / sum_i M_i(pixel). The paper divides by N·E[M] instead;
 * the two agree in expectation, and this one stays unbiased where few masks cover a pixel. Masked-out
 * pixels become 0, the dataset-mean colour after normalisation. Forward-only: runs with autograd off.
 *
 * <p>The map carries the mean masked probability as an offset, and the stored float32 keeps about 7 digits
 * of it: variations below ~1e-7 of the offset are lost. For a model whose logits are scaled by 1e-12 the
 * probabilities vary by ~1e-13 and the map is flat (its statistics say so: entropy 1, no pointing hit).
 */
final class RiseMethod implements SaliencyMethod {
  static final String NAME = "rise";

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
    private final double[][] sums;

    Plan(ExplainBatch batch) {
      this.batch = batch;
      var s = batch.sampling();
      this.masks = RiseMasks.of(s.seed(), s.riseMasks(), s.riseGrid(), s.riseProbability(), batch.imageSize());
      this.sums = new double[batch.size()][];
    }

    @Override
    public int samplesPerImage() {
      return masks.count();
    }

    @Override
    public void fill(int image, int sample, float[] dst, int offset) {
      float[] x = batch.image(image);
      int plane = batch.plane();
      for (int c = 0; c < 3; c++) {
        for (int p = 0; p < plane; p++) {
          dst[offset + c * plane + p] = x[c * plane + p] * masks.value(sample, p);
        }
      }
    }

    @Override
    public Probe probe() {
      return Probes.FORWARD;
    }

    @Override
    public void accumulate(int image, int sample, SampleOutputs outputs, int row) {
      if (sums[image] == null) {
        sums[image] = new double[batch.plane()];
      }
      double prob = outputs.probability(row, batch.target(image));
      double[] sum = sums[image];
      for (int p = 0; p < sum.length; p++) {
        sum[p] += prob * masks.value(sample, p);
      }
    }

    @Override
    public float[] map(int image) {
      double[] out = new double[batch.plane()];
      for (int p = 0; p < out.length; p++) {
        double cover = masks.coverage(p);
        out[p] = cover > 0 ? sums[image][p] / cover : 0;
      }
      // A target of probability below 1e-38 (--target label) would otherwise give subnormals or zeros.
      return FloatRange.fit(out);
    }
  }
}
