#!/usr/bin/env python3
"""Write job/src/test/resources/models/expected_tiny_methods.json: reference values of the
sampling and CAM methods on tiny_smooth.pt (written by make_test_models.py), computed by PyTorch
autograd in float64 from the saved TorchScript weights, for the Java tests.

Same fixed input as expected_tiny_smooth.json: x[0,c,h,w] = sin(0.1 * (c*256 + h*16 + w)), explained
class = argmax of the logits. Definitions (as documented in the method table of docs/methods.md):

  gradcam_pp             Grad-CAM++ (pytorch-grad-cam's GradCAMPlusPlus formula) on features/head,
                         at feature resolution (16x16 = the input, so no upsampling).
  integrated_gradients   Riemann midpoint rule, n points (k + 0.5)/n, weights 1/n; heatmap = sum over
                         channels of (x - b) * mean gradient; delta = sum(attribution) - (f(x) - f(b)),
                         f the target logit. Baselines: black (zeros) and blur (separable Gaussian,
                         sigma = 1 for a 16x16 input, radius ceil(3 sigma), border pixels repeated).
  occlusion              window 4, stride 2 (starts 0, 2, ..., 12 per axis), occluded pixels set to 0 in
                         every channel; map = p(x) - mean over covering windows of p(occluded x), p the
                         softmax probability of the target.

Usage (from the repository root):  /usr/bin/python3 sample-data/make_method_references.py
"""

import json
import math
import os
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.normpath(os.path.join(HERE, "..", "job", "src", "test", "resources", "models"))
C, H, W = 3, 16, 16


def fixed_input():
    idx = torch.arange(C * H * W, dtype=torch.float64)
    return torch.sin(0.1 * idx).to(torch.float32).double().reshape(1, C, H, W)


def gradcam_pp(m, x, target):
    a = m.features(x).detach().requires_grad_(True)
    g, = torch.autograd.grad(m.head(a)[0, target], a)
    a, g = a.detach()[0], g[0]
    g2, g3 = g ** 2, g ** 3
    sum_a = a.sum(dim=(1, 2))
    aij = g2 / (2 * g2 + sum_a[:, None, None] * g3 + 1e-6)
    aij = torch.where(g != 0, aij, torch.zeros_like(aij))
    w = (torch.clamp(g, min=0) * aij).sum(dim=(1, 2))
    return F.relu((w[:, None, None] * a).sum(0))


def blur(x, sigma):
    r = int(math.ceil(3 * sigma))
    d = torch.arange(-r, r + 1, dtype=torch.float64)
    k = torch.exp(-(d * d) / (2 * sigma * sigma))
    k = k / k.sum()
    y = F.pad(x, (r, r, 0, 0), mode="replicate")
    y = F.conv2d(y, k.view(1, 1, 1, -1).repeat(C, 1, 1, 1), groups=C)
    y = F.pad(y, (0, 0, r, r), mode="replicate")
    return F.conv2d(y, k.view(1, 1, -1, 1).repeat(C, 1, 1, 1), groups=C)


def integrated_gradients(m, x, b, target, steps):
    alphas = (torch.arange(steps, dtype=torch.float64) + 0.5) / steps
    path = (b + alphas.view(-1, 1, 1, 1) * (x - b)).requires_grad_(True)
    g, = torch.autograd.grad(m.forward(path)[:, target].sum(), path)
    attribution = (x - b)[0] * g.mean(0)
    with torch.no_grad():
        fx = m.forward(x)[0, target].item()
        fb = m.forward(b)[0, target].item()
    delta = attribution.sum().item() - (fx - fb)
    return attribution.sum(0), delta, fx - fb


def occlusion(m, x, target, window, stride):
    starts = list(range(0, H - window + 1, stride))
    if starts[-1] != H - window:
        starts.append(H - window)
    with torch.no_grad():
        p0 = F.softmax(m.forward(x), 1)[0, target].item()
        total = torch.zeros(H, W, dtype=torch.float64)
        count = torch.zeros(H, W, dtype=torch.float64)
        for y0 in starts:
            for x0 in starts:
                xo = x.clone()
                xo[:, :, y0:y0 + window, x0:x0 + window] = 0
                p = F.softmax(m.forward(xo), 1)[0, target].item()
                total[y0:y0 + window, x0:x0 + window] += p
                count[y0:y0 + window, x0:x0 + window] += 1
    return p0 - total / count, len(starts)


def floats(t):
    return [float(v) for v in t.reshape(-1).tolist()]


def main():
    torch.set_num_threads(1)
    m = torch.jit.load(os.path.join(MODELS, "tiny_smooth.pt")).eval().double()
    x = fixed_input()
    with torch.no_grad():
        target = int(m.forward(x)[0].argmax().item())
    out = {
        "model": "tiny_smooth.pt",
        "input_formula": "x[0,c,h,w] = (float32) sin(0.1 * (c*256 + h*16 + w)), as in expected_tiny_smooth.json",
        "target": target,
        "gradcam_pp": floats(gradcam_pp(m, x, target)),
    }
    for steps in (8, 64):
        heat, delta, diff = integrated_gradients(m, x, torch.zeros_like(x), target, steps)
        out[f"ig_black_{steps}"] = floats(heat)
        out[f"ig_black_{steps}_delta"] = delta
        out["ig_black_f_x_minus_f_b"] = diff
    heat, delta, diff = integrated_gradients(m, x, blur(x, 1.0), target, 16)
    out["ig_blur_16"] = floats(heat)
    out["ig_blur_16_delta"] = delta
    out["ig_blur_f_x_minus_f_b"] = diff
    occ, positions = occlusion(m, x, target, 4, 2)
    out["occlusion_window4_stride2"] = floats(occ)
    out["occlusion_positions_per_axis"] = positions
    out["torch_version"] = torch.__version__
    path = os.path.join(MODELS, "expected_tiny_methods.json")
    with open(path, "w") as f:
        f.write("{\n" + ",\n".join(f" {json.dumps(k)}: {json.dumps(v)}" for k, v in out.items()) + "\n}\n")
    print(f"target {target}; ig black deltas: 8 steps {out['ig_black_8_delta']:.3e}, "
          f"64 steps {out['ig_black_64_delta']:.3e} (f(x)-f(b) = {out['ig_black_f_x_minus_f_b']:.4f}); "
          f"blur 16 steps {out['ig_blur_16_delta']:.3e}")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
