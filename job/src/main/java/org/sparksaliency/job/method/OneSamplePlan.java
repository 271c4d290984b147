package org.sparksaliency.job.method;

/** A plan with one sample per image, the image itself: the map is a function of that sample's outputs. */
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

  OneSamplePlan(ExplainBatch batch, Probe probe, Reduction reduction) {
    this.batch = batch;
    this.probe = probe;
    this.reduction = reduction;
    this.maps = new float[batch.size()][];
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
  }

  @Override
  public float[] map(int image) {
    return maps[image];
  }
}
