package org.sparksaliency.job.method;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Settings of the methods that take any, validated on the driver and shipped to executors.
 *
 * @param rolloutHeadFusion how {@code attention_rollout} merges the heads of a layer
 * @param rolloutDiscard share (0 ≤ d &lt; 1) of the lowest fused attention values of each layer that the
 *     rollout methods set to zero before adding the identity
 * @param sampling settings of the sampling methods (Integrated Gradients, SmoothGrad, occlusion, RISE)
 */
public record MethodOptions(HeadFusion rolloutHeadFusion, double rolloutDiscard, SamplingOptions sampling)
    implements Serializable {
  /** The documented defaults of every option. */
  public static final MethodOptions DEFAULTS = new MethodOptions(HeadFusion.MEAN, 0.0, SamplingOptions.DEFAULTS);

  public MethodOptions {
    Objects.requireNonNull(rolloutHeadFusion, "rolloutHeadFusion is null");
    Objects.requireNonNull(sampling, "sampling is null");
    if (!(rolloutDiscard >= 0 && rolloutDiscard < 1)) {
      throw new IllegalArgumentException(
          "Cannot discard a share of " + rolloutDiscard + " of the attention: it must be at least 0 and below 1");
    }
  }

  /** Rollout settings with the default sampling settings. */
  public MethodOptions(HeadFusion rolloutHeadFusion, double rolloutDiscard) {
    this(rolloutHeadFusion, rolloutDiscard, SamplingOptions.DEFAULTS);
  }

  /** A copy with other sampling settings. */
  public MethodOptions withSampling(SamplingOptions newSampling) {
    return new MethodOptions(rolloutHeadFusion, rolloutDiscard, newSampling);
  }

  /**
   * The settings here that change {@code method}'s maps for an imageSize × imageSize input, by name as in
   * run.json (window and stride resolved); empty for a method that takes none.
   */
  public Map<String, String> settingsOf(String method, int imageSize) {
    Map<String, String> p = new TreeMap<>();
    SamplingOptions s = sampling;
    switch (method) {
      case AttentionRolloutMethod.NAME -> {
        p.put("rollout_head_fusion", rolloutHeadFusion.code());
        p.put("rollout_discard", Double.toString(rolloutDiscard));
      }
      case GradRolloutMethod.NAME -> p.put("rollout_discard", Double.toString(rolloutDiscard));
      case IntegratedGradientsMethod.NAME -> {
        p.put("ig_steps", Integer.toString(s.igSteps()));
        p.put("ig_baseline", s.igBaseline().code());
        if (s.igBaseline() == IgBaseline.UNIFORM) {
          p.put("seed", Long.toString(s.seed()));
        }
      }
      case "smoothgrad", "smoothgrad_sq", "vargrad" -> {
        p.put("smoothgrad_samples", Integer.toString(s.smoothGradSamples()));
        p.put("smoothgrad_sigma", Float.toString(s.smoothGradSigma()));
        p.put("seed", Long.toString(s.seed()));
      }
      case OcclusionMethod.NAME -> {
        p.put("occlusion_window", Integer.toString(s.occlusionWindow(imageSize)));
        p.put("occlusion_stride", Integer.toString(s.occlusionStride(imageSize)));
      }
      case RiseMethod.NAME -> {
        p.put("rise_masks", Integer.toString(s.riseMasks()));
        p.put("rise_grid", Integer.toString(s.riseGrid()));
        p.put("rise_p", Float.toString(s.riseProbability()));
        p.put("seed", Long.toString(s.seed()));
      }
      default -> {
        // gradient, gradcam, gradcam_pp, input_x_gradient, guided_*: nothing beyond the shared settings.
      }
    }
    return p;
  }
}
