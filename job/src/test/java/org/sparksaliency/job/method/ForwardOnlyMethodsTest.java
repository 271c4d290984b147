package org.sparksaliency.job.method;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.model.TorchModel;

/**
 * Occlusion, RISE, Score-CAM and Ablation-CAM only run the model forward: no micro-batch builds an
 * autograd graph. The proof is libtorch's own: back-propagating from the model output fails with
 * "does not have a grad_fn". (DJL 0.35.1's {@code JniUtils.requiresGrad} answers false for every
 * non-leaf tensor, graph or not, and its {@code getGradientFunctionNames} crashes the JVM on a
 * tensor without grad_fn, so neither can tell.)
 */
class ForwardOnlyMethodsTest {
  private static final float[] MEAN = {0f, 0f, 0f};
  private static final float[] STD = {1f, 1f, 1f};
  private static final String NO_GRAPH = "does not require grad and does not have a grad_fn";
  private static final String FREED_GRAPH = "backward through the graph a second time";

  /**
   * One micro-batch: which probe ran, whether its input asked for a gradient, what a backward said.
   */
  private record Pass(boolean forwardProbe, boolean inputRequiresGrad, String backwardError) {}

  /**
   * Backward from sum(output), after the probe; returns libtorch's error, or "" if it went through.
   */
  private static String backwardError(NDArray logits) {
    try {
      TorchModel.backward(logits.sum());
      return "";
    } catch (EngineException e) {
      return e.getMessage();
    }
  }

  private static List<Pass> passes(String method) {
    List<Pass> seen = new ArrayList<>();
    MicroBatchRunner recorder =
        (model, probe, x, targets) -> {
          ProbeResult r = MicroBatchRunner.DIRECT.run(model, probe, x, targets);
          seen.add(
              new Pass(
                  probe == Probes.FORWARD,
                  JniUtils.requiresGrad((PtNDArray) x),
                  backwardError(r.logits())));
          return r;
        };
    MethodOptions s =
        MethodOptions.DEFAULTS
            .with(OcclusionMethod.WINDOW, 4)
            .with(OcclusionMethod.STRIDE, 4)
            .with(RiseMethod.MASKS, 6)
            .with(RiseMethod.GRID, 3)
            .with(RiseMethod.P, 0.5f)
            .with(IntegratedGradientsMethod.STEPS, 4)
            .with(IntegratedGradientsMethod.BASELINE, IgBaseline.BLACK);
    BatchExplainer e =
        new BatchExplainer(List.of(method), s, TinyModel.SIZE, 5, MEAN, STD, recorder);
    TinyModel.owner()
        .call(
            m ->
                e.explain(
                    m,
                    List.of(TinyModel.input(0), TinyModel.input(1)),
                    new int[] {-1, -1},
                    List.of("a", "b")));
    return seen;
  }

  @Test
  void occlusionAndRiseNeverBuildAGraph() {
    for (String method : List.of("occlusion", "rise")) {
      List<Pass> seen = passes(method);
      // prediction (one micro-batch) + 2 images × (17 occlusion or 6 RISE samples) in micro-batches
      // of 5
      assertThat(seen).as(method).hasSize(method.equals("occlusion") ? 1 + 7 : 1 + 3);
      for (Pass p : seen) {
        assertThat(p.forwardProbe()).as(method).isTrue();
        assertThat(p.inputRequiresGrad()).as(method).isFalse();
        assertThat(p.backwardError()).as(method).contains(NO_GRAPH);
      }
    }
  }

  @Test
  void scoreCamAndAblationCamNeverBuildAGraph() {
    for (String method : List.of("scorecam", "ablationcam")) {
      List<Pass> seen = passes(method);
      // prediction + one sample per feature channel (ablationcam: and the activations) per image
      assertThat(seen).as(method).hasSizeGreaterThan(1);
      for (Pass p : seen) {
        assertThat(p.inputRequiresGrad()).as(method).isFalse();
        assertThat(p.backwardError()).as(method).contains(NO_GRAPH);
      }
    }
  }

  @Test
  void gradientMethodsDoBuildOneSoTheCheckCanFail() {
    List<Pass> seen = passes("integrated_gradients");
    assertThat(seen.get(0).backwardError()).contains(NO_GRAPH);
    // 2 images × (4 steps + 2 ends) in micro-batches of 5: the probe already back-propagated (and
    // freed) each.
    List<Pass> withGraph = seen.subList(1, seen.size());
    assertThat(withGraph).hasSize(3);
    for (Pass p : withGraph) {
      assertThat(p.forwardProbe()).isFalse();
      assertThat(p.inputRequiresGrad()).isTrue();
      assertThat(p.backwardError()).contains(FREED_GRAPH);
    }
  }

  @Test
  void theForwardProbeBuildsNoGraphEvenForAnInputThatAsksForOne() {
    List<String> errors =
        TinyModel.owner()
            .call(
                (TorchModel m) -> {
                  try (NDManager scope = m.manager().newSubManager()) {
                    NDArray x =
                        scope.create(
                            TinyModel.input(), new Shape(1, 3, TinyModel.SIZE, TinyModel.SIZE));
                    x.setRequiresGradient(true);
                    String forwardOnly =
                        backwardError(Probes.FORWARD.run(m, x, new int[] {0}).logits());
                    String withGraph = backwardError(m.call("forward", x));
                    return List.of(forwardOnly, withGraph);
                  }
                });
    assertThat(errors.get(0)).contains(NO_GRAPH);
    assertThat(errors.get(1)).isEmpty();
  }
}
