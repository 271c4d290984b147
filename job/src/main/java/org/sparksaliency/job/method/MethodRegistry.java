package org.sparksaliency.job.method;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The known saliency methods by name. */
public final class MethodRegistry {
  private static final Map<String, Supplier<SaliencyMethod>> METHODS = new LinkedHashMap<>();

  static {
    METHODS.put(GradientMethod.NAME, GradientMethod::new);
    METHODS.put(GradCamMethod.NAME, GradCamMethod::new);
    METHODS.put(GuidedBackpropMethod.NAME, GuidedBackpropMethod::new);
    METHODS.put(GuidedGradCamMethod.NAME, GuidedGradCamMethod::new);
  }

  private MethodRegistry() {}

  /** Names in registration order. */
  public static List<String> names() {
    return List.copyOf(METHODS.keySet());
  }

  /** A new instance of the named method. */
  public static SaliencyMethod create(String name) {
    Supplier<SaliencyMethod> s = METHODS.get(name);
    if (s == null) {
      throw new IllegalArgumentException(
          "Cannot create method '" + name + "': unknown; known: " + String.join(", ", names()));
    }
    return s.get();
  }
}
