package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.sparksaliency.job.model.ModelException;
import org.sparksaliency.job.model.TorchModel;

/** The probes the methods share. */
final class Probes {
  private Probes() {}

  /**
   * Logits and d(target logit)/d(input) of every sample, values: [gradient [m, 3, S, S]]. One
   * backward of the sum of the target logits gives every sample its own gradient: samples are
   * independent in eval mode.
   */
  static final Probe INPUT_GRADIENT =
      new Probe() {
        @Override
        public ProbeResult run(TorchModel model, NDArray x, int[] targets) {
          x.setRequiresGradient(true);
          NDArray logits = logits(model, model.call("forward", x), x);
          TorchModel.backward(TargetLogits.sum(logits, targets));
          return new ProbeResult(logits, List.of(x.getGradient()));
        }

        /** One forward per distinct input, one backward per target slot. */
        @Override
        public ProbeResult run(TorchModel model, NDArray x, int[] targets, SharedInputs shared) {
          if (shared.none()) {
            return run(model, x, targets);
          }
          NDArray xu = DeviceBatch.rows(x, shared.unique(), x.getManager());
          xu.setRequiresGradient(true);
          NDArray logits = logits(model, model.call("forward", xu), xu);
          NDArray grads = SharedBackward.gradients(xu, logits, targets, shared);
          return new ProbeResult(SharedBackward.expand(logits, shared), List.of(grads));
        }
      };

  /** Logits only, with autograd off: no graph is built (occlusion, RISE, prediction). */
  static final Probe FORWARD =
      new Probe() {
        @Override
        public ProbeResult run(TorchModel model, NDArray x, int[] targets) {
          return new ProbeResult(logits(model, model.callWithoutGraph("forward", x), x), List.of());
        }

        /** One forward per distinct input. */
        @Override
        public ProbeResult run(TorchModel model, NDArray x, int[] targets, SharedInputs shared) {
          if (shared.none()) {
            return run(model, x, targets);
          }
          NDArray xu = DeviceBatch.rows(x, shared.unique(), x.getManager());
          NDArray logits = logits(model, model.callWithoutGraph("forward", xu), xu);
          return new ProbeResult(SharedBackward.expand(logits, shared), List.of());
        }
      };

  /**
   * {@code output} if it is [m, classes] logits for the m samples of {@code x}; fails naming the
   * model if not.
   */
  static NDArray logits(TorchModel model, NDArray output, NDArray x) {
    Shape shape = output.getShape();
    long m = x.getShape().get(0);
    if (shape.dimension() != 2 || shape.get(0) != m || shape.get(1) < 1) {
      throw new ModelException(
          model.uri(),
          String.format(
              "forward returned shape %s for %d images; the model contract is [N, classes] logits",
              shape, m),
          null);
    }
    return output;
  }

  /**
   * For CAM methods: values [activations A [m, C, h, w], d(target logit)/dA [m, C, h, w]]. The
   * features run without a graph; only the head is differentiated. Token features [m, tokens, C] (a
   * vision transformer) are laid out on the model's patch grid; {@code method} names the method in
   * the error when the model has no {@code patch_grid()}.
   */
  static Probe featureGradient(String method) {
    return new Probe() {
      @Override
      public ProbeResult run(TorchModel model, NDArray x, int[] targets) {
        NDArray activations = model.callWithoutGraph("features", x);
        activations.setRequiresGradient(true);
        NDArray logits = logits(model, model.call("head", activations), x);
        TorchModel.backward(TargetLogits.sum(logits, targets));
        return onGrid(
            model, x, method, logits, activations.stopGradient(), activations.getGradient());
      }

      /** The features and the head once per distinct input, one backward per target slot. */
      @Override
      public ProbeResult run(TorchModel model, NDArray x, int[] targets, SharedInputs shared) {
        if (shared.none()) {
          return run(model, x, targets);
        }
        NDArray xu = DeviceBatch.rows(x, shared.unique(), x.getManager());
        NDArray activations = model.callWithoutGraph("features", xu);
        activations.setRequiresGradient(true);
        NDArray logits = logits(model, model.call("head", activations), xu);
        NDArray grads = SharedBackward.gradients(activations, logits, targets, shared);
        NDArray a = SharedBackward.expand(activations.stopGradient(), shared);
        return onGrid(model, x, method, SharedBackward.expand(logits, shared), a, grads);
      }
    };
  }

  /** The CAM probes' result, token features [m, tokens, C] laid out on the patch grid. */
  private static ProbeResult onGrid(
      TorchModel model, NDArray x, String method, NDArray logits, NDArray a, NDArray grad) {
    if (a.getShape().dimension() == 3) {
      PatchGrid grid = tokenGrid(model, x.getManager(), method);
      int first = grid.firstPatch(model, a.getShape().get(1), "features(x)");
      a = grid.toGrid(a, first);
      grad = grid.toGrid(grad, first);
    }
    return new ProbeResult(logits, List.of(a, grad));
  }

  /**
   * For CAM methods without gradients (eigencam): values [activations A [m, C, h, w]]; features and
   * head both run without a graph, the head only for the logits. Tokens are laid on the patch grid
   * as in {@link #featureGradient}.
   */
  static Probe featureActivations(String method) {
    return (model, x, targets) -> {
      NDArray a = model.callWithoutGraph("features", x);
      NDArray logits = logits(model, model.callWithoutGraph("head", a), x);
      if (a.getShape().dimension() == 3) {
        PatchGrid grid = tokenGrid(model, x.getManager(), method);
        a = grid.toGrid(a, grid.firstPatch(model, a.getShape().get(1), "features(x)"));
      }
      return new ProbeResult(logits, List.of(a));
    };
  }

  private static PatchGrid tokenGrid(TorchModel model, NDManager scope, String method) {
    if (!model.hasMethod(PatchGrid.METHOD)) {
      throw new ModelException(
          model.uri(),
          "--methods "
              + method
              + " got tokens [n, tokens, channels] from features(x); a vision transformer must "
              + "also export patch_grid() (see the model contract in docs/methods.md)",
          null);
    }
    return PatchGrid.of(model, scope);
  }

  /** The maps a method computes itself for each micro-batch; values: [maps [m, S·S]], no logits. */
  @FunctionalInterface
  interface MicroBatchMaps {
    /** One map of S·S values per sample of {@code x}. */
    float[][] maps(TorchModel model, NDArray x, int[] targets);
  }

  /** A probe for methods that turn a micro-batch into maps directly (the attention rollouts). */
  static Probe maps(MicroBatchMaps method) {
    return (model, x, targets) -> {
      float[][] maps = method.maps(model, x, targets);
      int per = maps[0].length;
      float[] flat = new float[maps.length * per];
      for (int i = 0; i < maps.length; i++) {
        System.arraycopy(maps[i], 0, flat, i * per, per);
      }
      return new ProbeResult(
          null, List.of(x.getManager().create(flat, new Shape(maps.length, per))));
    };
  }
}
