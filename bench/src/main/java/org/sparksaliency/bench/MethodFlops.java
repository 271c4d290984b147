package org.sparksaliency.bench;

/**
 * Nominal FLOPs one image costs a method, from the model's forward FLOPs F: the work a method must
 * do, the same for the job and the PyTorch baseline, so that GFLOP/s compare. A backward pass that
 * computes input gradients only (parameters do not require gradients) costs about one forward; with
 * weight gradients it would cost two.
 */
final class MethodFlops {
  private MethodFlops() {}

  static double perImage(String method, double forwardFlops, int steps) {
    return switch (method) {
      // one forward (its logits are the prediction) + one input-gradient backward
      case "gradient" -> 2 * forwardFlops;
      // features without autograd + head; the backward through the head is negligible
      case "gradcam" -> forwardFlops;
      // the prediction forward + per step a forward and an input-gradient backward
      case "integrated_gradients" -> forwardFlops + steps * 2 * forwardFlops;
      default ->
          throw new IllegalArgumentException(
              "Cannot count the FLOPs of method '"
                  + method
                  + "': known: gradient, gradcam, integrated_gradients");
    };
  }
}
