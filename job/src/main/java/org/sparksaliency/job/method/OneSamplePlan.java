package org.sparksaliency.job.method;

/**
 * A plan with one sample per image, the image itself: the map is a function of that sample's
 * outputs.
 */
final class OneSamplePlan implements SamplePlan {

  /** Turns row {@code row} of a micro-batch's outputs into image {@code image}'s map. */
  @FunctionalInterface
  interface Reduction {
    float[] map(int image, SampleOutputs outputs, int row);
  }

  /** The map is row {@code row} of value array {@code j} as it is. */
  static Reduction row(int j) {
    return (image, out, row) -> {
      int per = out.valueLength(j);
      return java.util.Arrays.copyOfRange(out.values(j), row * per, (row + 1) * per);
    };
  }

  private final ExplainBatch batch;
  private final Probe probe;
  private final Reduction reduction;
  private final float[][] maps;
  private final Prediction[] predictions;

  OneSamplePlan(ExplainBatch batch, Probe probe, Reduction reduction) {
    this(batch, probe, reduction, false);
  }

  private OneSamplePlan(ExplainBatch batch, Probe probe, Reduction reduction, boolean predicting) {
    this.batch = batch;
    this.probe = probe;
    this.reduction = reduction;
    this.maps = new float[batch.size()][];
    this.predictions = predicting ? new Prediction[batch.size()] : null;
  }

  /**
   * A plan of a {@link PredictingMethod}: its probe's logits are the model's logits of each image,
   * so it also keeps each image's prediction, and its batch's targets may be {@link
   * BatchExplainer#PREDICTED}.
   */
  static OneSamplePlan predicting(ExplainBatch batch, Probe probe, Reduction reduction) {
    return new OneSamplePlan(batch, probe, reduction, true);
  }

  /**
   * Image {@code image}'s prediction from this plan's own pass; only for a {@link #predicting}
   * plan.
   */
  Prediction prediction(int image) {
    if (predictions == null) {
      throw new IllegalStateException(
          "Cannot give a prediction: this plan's probe does not keep its logits");
    }
    return predictions[image];
  }

  @Override
  public int samplesPerImage() {
    return 1;
  }

  @Override
  public void fill(int image, int sample, float[] dst, int offset) {
    float[] x = batch.image(image);
    System.arraycopy(x, 0, dst, offset, x.length);
  }

  @Override
  public Probe probe() {
    return probe;
  }

  @Override
  public void accumulate(int image, int sample, SampleOutputs outputs, int row) {
    maps[image] = reduction.map(image, outputs, row);
    if (predictions != null) {
      predictions[image] = Prediction.fromLogits(outputs.logits(row), BatchExplainer.TOP_K);
    }
  }

  @Override
  public float[] map(int image) {
    return maps[image];
  }
}
