package org.sparksaliency.job.method;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The known saliency methods by name. */
public final class MethodRegistry {
  private static final Map<String, Function<MethodOptions, SaliencyMethod>> METHODS = new LinkedHashMap<>();

  static {
    METHODS.put(GradientMethod.NAME, options -> new GradientMethod());
    METHODS.put(GradCamMethod.NAME, options -> new GradCamMethod());
    METHODS.put(AttentionRolloutMethod.NAME, AttentionRolloutMethod::new);
    METHODS.put(GradRolloutMethod.NAME, GradRolloutMethod::new);
    METHODS.put(GuidedBackpropMethod.NAME, options -> new GuidedBackpropMethod());
    METHODS.put(GuidedGradCamMethod.NAME, options -> new GuidedGradCamMethod());
    // The sampling methods read their settings from the batch (ExplainBatch.sampling()).
    METHODS.put(InputXGradientMethod.NAME, options -> new InputXGradientMethod());
    METHODS.put(IntegratedGradientsMethod.NAME, options -> new IntegratedGradientsMethod());
    for (SmoothGradMethod.Variant v : SmoothGradMethod.Variant.values()) {
      METHODS.put(v.methodName, options -> new SmoothGradMethod(v));
    }
    METHODS.put(GradCamPlusPlusMethod.NAME, options -> new GradCamPlusPlusMethod());
    METHODS.put(OcclusionMethod.NAME, options -> new OcclusionMethod());
    METHODS.put(RiseMethod.NAME, options -> new RiseMethod());
  }

  private MethodRegistry() {}

  /** Names in registration order. */
  public static List<String> names() {
    return List.copyOf(METHODS.keySet());
  }

  /** A new instance of the named method with the default options. */
  public static SaliencyMethod create(String name) {
    return create(name, MethodOptions.DEFAULTS);
  }

  /** A new instance of the named method. */
  public static SaliencyMethod create(String name, MethodOptions options) {
    Function<MethodOptions, SaliencyMethod> s = METHODS.get(name);
    if (s == null) {
      throw new IllegalArgumentException(
          "Cannot create method '" + name + "': unknown; known: " + String.join(", ", names()));
    }
    return s.apply(options);
  }
}
