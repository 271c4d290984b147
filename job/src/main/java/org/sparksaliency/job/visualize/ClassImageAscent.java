package org.sparksaliency.job.visualize;

import java.util.Random;

/**
 * Regularised gradient ascent on the input (activation maximisation): starts from seeded noise
 * around mid grey and, each step, takes the target logit's gradient at a randomly shifted copy of
 * the image, shifts it back, adds it normalised to unit mean magnitude, decays the image towards
 * the mean image, blurs it every few steps and clips it to the range real pixels can reach.
 * Deterministic for a given seed and model.
 */
final class ClassImageAscent {
  private final AscentSettings s;

  ClassImageAscent(AscentSettings settings) {
    this.s = settings;
  }

  /** The result for one class. {@code trace[t]} is the logit at step t's shifted image. */
  record Result(float[] image, float initialLogit, float finalLogit, float[] trace) {}

  Result run(int targetClass, TargetGradient model) {
    Random random = new Random(s.seed() + targetClass);
    int size = s.imageSize();
    float[] x = initial(random);
    float initial = model.logit(x);
    float[] trace = new float[s.steps()];
    for (int t = 0; t < s.steps(); t++) {
      int dx = s.jitter() == 0 ? 0 : random.nextInt(2 * s.jitter() + 1) - s.jitter();
      int dy = s.jitter() == 0 ? 0 : random.nextInt(2 * s.jitter() + 1) - s.jitter();
      TargetGradient.Step step = model.at(ImageOps.roll(x, size, dx, dy));
      trace[t] = step.logit();
      float[] g = ImageOps.roll(step.gradient(), size, -dx, -dy);
      double meanAbs = 0;
      for (float v : g) {
        meanAbs += Math.abs(v);
      }
      meanAbs /= g.length;
      float scale = (float) (s.learningRate() / (meanAbs + 1e-8));
      float keep = 1 - s.l2Decay();
      for (int i = 0; i < x.length; i++) {
        x[i] = (x[i] + scale * g[i]) * keep;
      }
      if (s.blurEvery() > 0 && (t + 1) % s.blurEvery() == 0) {
        x = ImageOps.gaussianBlur(x, size, s.blurSigma());
      }
      ImageOps.clampToPixelRange(x, size, s.mean(), s.std());
    }
    return new Result(x, initial, model.logit(x), trace);
  }

  /** Mid grey plus Gaussian noise of standard deviation 0.1 in pixel units, normalised. */
  private float[] initial(Random random) {
    int plane = s.imageSize() * s.imageSize();
    float[] mean = s.mean();
    float[] std = s.std();
    float[] x = new float[3 * plane];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < plane; i++) {
        double pixel = Math.min(1, Math.max(0, 0.5 + 0.1 * random.nextGaussian()));
        x[c * plane + i] = (float) ((pixel - mean[c]) / std[c]);
      }
    }
    return x;
  }
}
