package org.sparksaliency.job.method;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparksaliency.job.option.Option;

/** The known saliency methods by name, each with the options it declares. */
public final class MethodRegistry {
  private static final Map<String, MethodDefinition> METHODS = new LinkedHashMap<>();
  private static final List<Option<?>> OPTIONS;

  static {
    register(MethodDefinition.of(GradientMethod.NAME, o -> new GradientMethod()));
    register(MethodDefinition.of(GradCamMethod.NAME, o -> new GradCamMethod()));
    register(AttentionRolloutMethod.DEFINITION);
    register(GradRolloutMethod.DEFINITION);
    register(MethodDefinition.of(GuidedBackpropMethod.NAME, o -> new GuidedBackpropMethod()));
    register(MethodDefinition.of(GuidedGradCamMethod.NAME, o -> new GuidedGradCamMethod()));
    register(MethodDefinition.of(InputXGradientMethod.NAME, o -> new InputXGradientMethod()));
    register(IntegratedGradientsMethod.DEFINITION);
    for (MethodDefinition d : SmoothGradMethod.DEFINITIONS) {
      register(d);
    }
    register(MethodDefinition.of(GradCamPlusPlusMethod.NAME, o -> new GradCamPlusPlusMethod()));
    register(OcclusionMethod.DEFINITION);
    register(RiseMethod.DEFINITION);
    register(GradientShapMethod.DEFINITION);
    register(MethodDefinition.of(HiResCamMethod.NAME, o -> new HiResCamMethod()));
    register(MethodDefinition.of(XGradCamMethod.NAME, o -> new XGradCamMethod()));
    register(MethodDefinition.of(LayerCamMethod.NAME, o -> new LayerCamMethod()));
    register(MethodDefinition.of(EigenCamMethod.NAME, o -> new EigenCamMethod()));
    register(MethodDefinition.of(ScoreCamMethod.NAME, o -> new ScoreCamMethod()));
    register(MethodDefinition.of(AblationCamMethod.NAME, o -> new AblationCamMethod()));
    Map<String, Option<?>> options = new LinkedHashMap<>();
    for (MethodDefinition d : METHODS.values()) {
      for (Option<?> o : d.options()) {
        Option<?> before = options.putIfAbsent(o.name(), o);
        if (before != null && before != o) {
          throw new IllegalStateException(
              "Cannot register option " + o + " twice with different declarations");
        }
      }
    }
    // The seed also orders the --evaluate curves' ties and picks the sanity sample, whatever the
    // methods.
    options.putIfAbsent(Seeds.SEED.name(), Seeds.SEED);
    OPTIONS = List.copyOf(options.values());
  }

  private MethodRegistry() {}

  private static void register(MethodDefinition d) {
    if (METHODS.put(d.name(), d) != null) {
      throw new IllegalStateException("Cannot register method '" + d.name() + "' twice");
    }
  }

  /** Names in registration order. */
  public static List<String> names() {
    return List.copyOf(METHODS.keySet());
  }

  /** Every option a method reads, each once, in registration order of the methods. */
  public static List<Option<?>> options() {
    return OPTIONS;
  }

  /** The named method's definition. */
  public static MethodDefinition definition(String name) {
    MethodDefinition d = METHODS.get(name);
    if (d == null) {
      throw new IllegalArgumentException(
          "Cannot find method '" + name + "': unknown; known: " + String.join(", ", names()));
    }
    return d;
  }

  /** Checks every method's options together; {@code selected} are the methods the run computes. */
  public static void check(MethodOptions options, int imageSize, List<String> selected) {
    for (MethodDefinition d : METHODS.values()) {
      d.check().check(options, imageSize, selected.contains(d.name()));
    }
  }

  /** The methods that own {@code option} or read it, in registration order. */
  public static List<String> readers(Option<?> option) {
    List<String> out = new ArrayList<>();
    for (MethodDefinition d : METHODS.values()) {
      if (d.options().stream().anyMatch(o -> o.name().equals(option.name()))) {
        out.add(d.name());
      }
    }
    return out;
  }

  /** A new instance of the named method with the default options. */
  public static SaliencyMethod create(String name) {
    return create(name, MethodOptions.DEFAULTS);
  }

  /** A new instance of the named method. */
  public static SaliencyMethod create(String name, MethodOptions options) {
    return definition(name).factory().apply(options);
  }
}
