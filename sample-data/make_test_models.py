#!/usr/bin/env python3
"""Write the tiny TorchScript models and the reference values used by the Java
unit tests into job/src/test/resources/models/ (by default).

  tiny_smooth.pt               forward/features/head contract, smooth (tanh /
                               softplus, no ReLU, no max-pool), float32,
                               input [1,3,16,16] (any size works), 3 logits.
  no_cam.pt                    only forward(x) -> 3 logits; no features/head
                               (for the "model lacks features/head" error).
  nan_when_bright.pt           forward/features/head contract; the features
                               (and so the logits) are NaN for an image whose
                               mean input value is above 0.5, finite otherwise
                               (for per-image non_finite quarantine).
  fixed_input_16.pt            forward(x) = linear(flatten(x)) over exactly
                               3x16x16 inputs: any other --image-size fails
                               (for the "wrong input shape" error).
  expected_tiny_smooth.json    reference values computed by PyTorch autograd
                               from the saved tiny_smooth.pt for the fixed input
                               x[0,c,h,w] = sin(0.1 * (c*256 + h*16 + w)),
                               evaluated in float64 and then cast to float32.
  tiny_dead.pt                 a model with a known dead layer for --layer-stats:
                               conv1+ReLU feeds two branches, conv2+ReLU (dead: its
                               bias is -1000, so the ReLU output is always 0) and
                               conv3+ReLU (alive), concatenated, pooled, linear;
                               exports layer_activations(x) (the model contract).
  tiny_smooth_scaled.pt        tiny_smooth.pt with the head's weights and bias times
                               2^-40 (about 9.1e-13): its logits, input gradients and
                               gradients w.r.t. the features are exactly 2^-40 times
                               tiny_smooth's (a power of two scales float32 exactly), for
                               the range-safety tests of every method; also exports
                               guided_gradient(x, target), the plain input gradient
                               (the model has no ReLU for the guided rule to act on).
  expected_tiny_dead.json      per-image, per-layer reference values for two fixed
                               inputs: mean |d predicted logit / d weight|, and the
                               mean and fraction of zeros of each layer's activation.

Usage (from the repository root):

    /usr/bin/python3 sample-data/make_test_models.py            # all of them
    /usr/bin/python3 sample-data/make_test_models.py --only tiny_dead
    /usr/bin/python3 sample-data/make_test_models.py --only tiny_smooth_scaled   # from tiny_smooth.pt

Deterministic (fixed torch seed, fixed PYTHONHASHSEED for byte-identical .pt).
"""

import argparse
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from typing import Dict

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "job", "src", "test", "resources", "models"))
SEED = 1234
C, H, W = 3, 16, 16
NUM_CLASSES = 3


class TinySmooth(nn.Module):
    """features: conv3x3(3->4)+tanh, conv3x3(4->4)+softplus  -> [B,4,H,W]
    head:     global average pool + linear(4->3)           -> [B,3]"""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1)
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1)
        self.fc = nn.Linear(4, NUM_CLASSES)

    @torch.jit.export
    def features(self, x: torch.Tensor) -> torch.Tensor:
        return F.softplus(self.conv2(torch.tanh(self.conv1(x))))

    @torch.jit.export
    def head(self, a: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(a, 1), 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


SCALE_EXPONENT = -40


class TinySmoothScaled(TinySmooth):
    """TinySmooth whose head is scaled by 2^SCALE_EXPONENT, with guided_gradient(x, target)."""

    @torch.jit.export
    def guided_gradient(self, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        x = x.detach().requires_grad_(True)
        selected = self.forward(x).gather(1, target.view(-1, 1)).sum()
        g = torch.autograd.grad([selected], [x])[0]
        assert g is not None
        return g


def write_tiny_smooth_scaled(out_dir):
    """Loads tiny_smooth.pt from out_dir, so the two stay exactly 2^-40 apart."""
    base = torch.jit.load(os.path.join(out_dir, "tiny_smooth.pt")).eval()
    m = TinySmoothScaled().eval()
    m.load_state_dict(base.state_dict())
    with torch.no_grad():
        m.fc.weight.mul_(2.0 ** SCALE_EXPONENT)
        m.fc.bias.mul_(2.0 ** SCALE_EXPONENT)
    path = os.path.join(out_dir, "tiny_smooth_scaled.pt")
    torch.jit.script(m).save(path)
    ts = torch.jit.load(path).eval()
    x = fixed_input().requires_grad_(True)
    logits = ts.forward(x)
    target = int(logits[0].argmax())
    g, = torch.autograd.grad(logits[0, target], x)
    xb = fixed_input().requires_grad_(True)
    base_logits = base.forward(xb)
    gb, = torch.autograd.grad(base_logits[0, target], xb)
    scale = 2.0 ** SCALE_EXPONENT
    assert torch.equal(logits.detach(), base_logits.detach() * scale), (logits, base_logits)
    assert torch.equal(g, gb * scale)
    assert torch.equal(ts.guided_gradient(fixed_input(), torch.tensor([target])), g)
    print(f"tiny_smooth_scaled: logits {logits.detach()[0].tolist()} = 2^{SCALE_EXPONENT} x tiny_smooth's, "
          f"max |grad| {g.abs().max().item():.3e}")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


class NoCam(nn.Module):
    """Only forward(x) -> [B,3]; deliberately no features()/head()."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 2, 3, padding=1)
        self.fc = nn.Linear(2, NUM_CLASSES)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(torch.tanh(self.conv(x)), 1), 1))


class TinyDead(nn.Module):
    """conv1+ReLU -> [conv2+ReLU (dead), conv3+ReLU] concatenated -> global average pool -> fc.

    layer_activations(x) reports, for every layer with a weight, its output after the
    ReLU that directly follows it (the logits for fc)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1)
        self.conv2 = nn.Conv2d(4, 3, 3, padding=1)
        self.conv3 = nn.Conv2d(4, 3, 3, padding=1)
        self.fc = nn.Linear(6, NUM_CLASSES)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layer_activations(x)["fc"]

    @torch.jit.export
    def layer_activations(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        a1 = F.relu(self.conv1(x))
        a2 = F.relu(self.conv2(a1))
        a3 = F.relu(self.conv3(a1))
        logits = self.fc(torch.flatten(F.adaptive_avg_pool2d(torch.cat([a2, a3], 1), 1), 1))
        return {"conv1": a1, "conv2": a2, "conv3": a3, "fc": logits}


def init_tiny_dead(m):
    g = torch.Generator().manual_seed(SEED + 2)
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.5)
        m.conv2.bias.fill_(-1000.0)  # no input in the tests' range reaches zero: the layer is dead
    return m


def dead_inputs():
    """x[0] = sin(0.1 i), x[1] = cos(0.05 i) over the flat CHW index i."""
    idx = torch.arange(C * H * W, dtype=torch.float64)
    return torch.stack([torch.sin(0.1 * idx), torch.cos(0.05 * idx)]).float().reshape(2, C, H, W)


def dead_references(m):
    x = dead_inputs()
    layers = ["conv1", "conv2", "conv3", "fc"]
    out = {"layers": layers, "predicted": [], "mean_abs_weight_grad": [], "activation_mean": [],
           "activation_zero_fraction": []}
    for i in range(x.shape[0]):
        xi = x[i:i + 1]
        acts = m.layer_activations(xi)
        pred = int(acts["fc"][0].argmax())
        weights = [getattr(m, name).weight for name in layers]
        grads = torch.autograd.grad(acts["fc"][0, pred], weights, allow_unused=True)
        out["predicted"].append(pred)
        out["mean_abs_weight_grad"].append(
            [0.0 if g is None else float(g.abs().mean()) for g in grads])
        out["activation_mean"].append([float(acts[name].mean()) for name in layers])
        out["activation_zero_fraction"].append([float((acts[name] == 0).float().mean()) for name in layers])
    return out


def write_tiny_dead(out_dir):
    torch.manual_seed(SEED + 2)
    m = init_tiny_dead(TinyDead()).eval()
    path = os.path.join(out_dir, "tiny_dead.pt")
    torch.jit.script(m).save(path)
    ts = torch.jit.load(path).eval()
    for p in ts.parameters():
        p.requires_grad_(True)
    ref = dead_references(ts)
    assert all(row[1] == 1.0 for row in ref["activation_zero_fraction"]), ref
    assert all(row[1] == 0.0 for row in ref["mean_abs_weight_grad"]), ref
    assert all(row[0] < 1.0 and row[2] < 1.0 for row in ref["activation_zero_fraction"]), ref
    assert all(v > 0 for row in ref["mean_abs_weight_grad"] for v in (row[0], row[2], row[3])), ref
    expected = {
        "model": "tiny_dead.pt",
        "description": TinyDead.__doc__.split("\n")[0],
        "input_formula": "x[0,c,h,w] = (float32) sin(0.1 * i), x[1,c,h,w] = (float32) cos(0.05 * i), "
                         "i = c*256 + h*16 + w",
        "input_shape": [2, C, H, W],
        **ref,
        "notes": "per image (rows) and layer (columns, in 'layers' order): mean |d logits[predicted] / d "
                 "<layer>.weight| by autograd on the saved model, one image at a time; the mean and the "
                 "fraction of exact zeros of layer_activations(x)[layer]. conv2 is dead.",
        "torch_version": torch.__version__,
    }
    json_path = os.path.join(out_dir, "expected_tiny_dead.json")
    with open(json_path, "w") as f:
        f.write("{\n" + ",\n".join(f" {json.dumps(k)}: {json.dumps(v)}" for k, v in expected.items()) + "\n}\n")
    print(f"tiny_dead: predicted {ref['predicted']}, mean |dW| {ref['mean_abs_weight_grad']}, "
          f"zero fractions {ref['activation_zero_fraction']}")
    for pth in (path, json_path):
        print(f"wrote {pth} ({os.path.getsize(pth)} bytes)")


class NanWhenBright(nn.Module):
    """features: tanh(conv3x3(3->4)), plus NaN where the image's mean input is
    above 0.5; head: global average pool + linear(4->3)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.fc = nn.Linear(4, NUM_CLASSES)

    @torch.jit.export
    def features(self, x: torch.Tensor) -> torch.Tensor:
        a = torch.tanh(self.conv(x))
        bright = x.mean(dim=[1, 2, 3], keepdim=True) > 0.5
        return torch.where(bright, torch.full_like(a, float("nan")), a)

    @torch.jit.export
    def head(self, a: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(a, 1), 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


class FixedInput16(nn.Module):
    """forward(x) = linear(flatten(x)): only [N,3,16,16] inputs fit."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(C * H * W, NUM_CLASSES)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(x, 1))


def fixed_input(dtype=torch.float32):
    """x[0,c,h,w] = sin(0.1 * (c*256 + h*16 + w)), i.e. sin(0.1 * flat CHW index)."""
    idx = torch.arange(C * H * W, dtype=torch.float64)
    return torch.sin(0.1 * idx).to(dtype).reshape(1, C, H, W)


def init_tiny_smooth(m):
    g = torch.Generator().manual_seed(SEED)
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * (0.5 if p.ndim > 1 else 0.2))
        # Larger head weights: well separated logits and input gradients of order
        # 1e-1, comfortably above float32 finite-difference noise.
        m.fc.weight.mul_(10.0)
    return m


def references(m):
    """Reference values from the loaded TorchScript module, computed in float64."""
    x32 = fixed_input(torch.float32)
    x = x32.double().requires_grad_(True)
    m64 = m.double()  # in place; converted back with .float() (lossless round trip)
    logits = m64.forward(x)
    target = int(logits[0].argmax().item())
    gx, = torch.autograd.grad(logits[0, target], x)

    a = m64.features(x.detach()).detach().requires_grad_(True)
    lg = m64.head(a)
    ga, = torch.autograd.grad(lg[0, target], a)
    weights = ga.mean(dim=(2, 3))[0]                        # [K]
    cam_raw = (weights[:, None, None] * a.detach()[0]).sum(0)
    cam = F.relu(cam_raw)
    m64.float()
    return {
        "x32": x32, "logits": logits.detach()[0], "target": target, "grad": gx[0],
        "features_shape": list(a.shape), "weights": weights, "cam": cam, "cam_raw": cam_raw,
        "features": a.detach()[0],
    }


def check_finite_differences(m, target, grad, n_checks=20, eps=1e-6):
    """Central differences in float64 must agree with autograd (smoothness check)."""
    m = m.double()
    x = fixed_input(torch.float64)
    g = torch.Generator().manual_seed(99)
    worst = 0.0
    with torch.no_grad():
        for k in torch.randperm(C * H * W, generator=g)[:n_checks].tolist():
            xp, xm = x.clone().view(-1), x.clone().view(-1)
            xp[k] += eps
            xm[k] -= eps
            fp = m.forward(xp.view(1, C, H, W))[0, target].item()
            fm = m.forward(xm.view(1, C, H, W))[0, target].item()
            fd = (fp - fm) / (2 * eps)
            worst = max(worst, abs(fd - grad.view(-1)[k].item()))
    m.float()
    return worst


def float32_fd_report(m, target, grad):
    """What a float32 central-difference check (as in the Java test) achieves on
    all C*H*W input elements, for a few step sizes."""
    x = fixed_input(torch.float32)
    g = grad.reshape(-1)
    out = {}
    with torch.no_grad():
        for eps in (1e-2, 1e-3):
            xs_p = x.reshape(-1).repeat(C * H * W, 1)
            xs_m = xs_p.clone()
            idx = torch.arange(C * H * W)
            xs_p[idx, idx] += eps
            xs_m[idx, idx] -= eps
            fp = m.forward(xs_p.view(-1, C, H, W))[:, target].double()
            fm = m.forward(xs_m.view(-1, C, H, W))[:, target].double()
            fd = (fp - fm) / (2 * eps)
            err = (fd - g).abs()
            # informative only: 2 significant digits (the last bits of float32
            # convolutions may depend on memory alignment)
            out[f"eps_{eps:g}"] = {
                "max_abs_error": float(f"{err.max().item():.2g}"),
                "max_abs_error_over_max_abs_grad": float(f"{(err.max() / g.abs().max()).item():.2g}"),
            }
    out["max_abs_grad"] = float(f"{g.abs().max().item():.6g}")
    return out


def _floats(t):
    return [float(v) for v in t.detach().to(torch.float32).reshape(-1).tolist()]


def main(argv=None):
    p = argparse.ArgumentParser(
        description="Write tiny_smooth.pt, no_cam.pt, nan_when_bright.pt, fixed_input_16.pt and "
                    "expected_tiny_smooth.json (TorchScript test models + autograd reference values "
                    "for the Java tests).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--out-dir", default=DEFAULT_OUT, help="output folder")
    p.add_argument("--only", choices=("tiny_dead", "tiny_smooth_scaled"),
                   help="write only this model and its reference values, leaving the others as they are")
    args = p.parse_args(argv)
    os.makedirs(args.out_dir, exist_ok=True)
    torch.set_num_threads(1)
    if args.only == "tiny_dead":
        write_tiny_dead(args.out_dir)
        return 0
    if args.only == "tiny_smooth_scaled":
        write_tiny_smooth_scaled(args.out_dir)
        return 0
    torch.manual_seed(SEED)

    # --- tiny_smooth.pt -------------------------------------------------------
    m = init_tiny_smooth(TinySmooth()).eval()
    smooth_path = os.path.join(args.out_dir, "tiny_smooth.pt")
    torch.jit.script(m).save(smooth_path)
    ts = torch.jit.load(smooth_path).eval()

    x = fixed_input()
    with torch.no_grad():
        d = (ts.forward(x) - ts.head(ts.features(x))).abs().max().item()
    assert d <= 1e-6, d

    ref = references(ts)
    # float32 autograd on the same artifact must agree with the float64 reference
    x32 = ref["x32"].clone().requires_grad_(True)
    lg32 = ts.forward(x32)
    g32, = torch.autograd.grad(lg32[0, ref["target"]], x32)
    max_logit_diff = (lg32.detach()[0].double() - ref["logits"]).abs().max().item()
    max_grad_diff = (g32[0].double() - ref["grad"]).abs().max().item()
    assert max_logit_diff < 1e-5 and max_grad_diff < 1e-5, (max_logit_diff, max_grad_diff)
    fd_err = check_finite_differences(ts, ref["target"], ref["grad"])
    assert fd_err < 1e-6, fd_err
    fd32 = float32_fd_report(ts, ref["target"], ref["grad"])
    ts = torch.jit.load(smooth_path).eval()  # fresh float32 copy for the printout below

    expected = {
        "model": "tiny_smooth.pt",
        "description": "features(x) = softplus(conv2(tanh(conv1(x)))) with 3x3 convs, padding 1 "
                       "(3->4->4 channels); head(a) = linear(global_avg_pool(a)) -> 3 logits; "
                       "forward(x) = head(features(x)).",
        "input_formula": "x[0,c,h,w] = (float32) sin(0.1 * (c*256 + h*16 + w)) for c<3, h<16, w<16 "
                         "(= sin(0.1 * i) for flat CHW index i), no other preprocessing",
        "input_shape": [1, C, H, W],
        "input": _floats(ref["x32"]),
        "logits": _floats(ref["logits"]),
        "target": ref["target"],
        "target_rule": "argmax of logits",
        "input_gradient_shape": [C, H, W],
        "input_gradient": _floats(ref["grad"]),
        "input_gradient_note": "d logits[0,target] / d x, flattened CHW (row-major), by PyTorch autograd",
        "features_shape": ref["features_shape"],
        "features": _floats(ref["features"]),
        "gradcam_weights": _floats(ref["weights"]),
        "gradcam_weights_note": "w_k = mean over (h,w) of d logits[0,target] / d A[0,k,h,w], A = features(x)",
        "gradcam_shape": list(ref["cam"].shape),
        "gradcam": _floats(ref["cam"]),
        "gradcam_note": "ReLU(sum_k w_k * A[0,k]) at feature resolution (no upsampling, no normalisation), "
                        "flattened row-major [h,w]",
        "gradcam_before_relu": _floats(ref["cam_raw"]),
        "reference_precision": "computed in float64 from the saved TorchScript weights, then rounded "
                               "to float32; float32 autograd on the same input differs by less than "
                               "1e-5 (about 1e-6 for the logits, 1e-7 for the gradient)",
        "finite_difference_check": "float64 central differences (eps 1e-6) vs autograd on 20 random "
                                   "input elements agree to better than 1e-6",
        "float32_finite_difference": fd32,
        "torch_version": torch.__version__,
        "seed": SEED,
    }
    json_path = os.path.join(args.out_dir, "expected_tiny_smooth.json")
    with open(json_path, "w") as f:
        # one key per line, arrays on a single line
        f.write("{\n" + ",\n".join(f" {json.dumps(k)}: {json.dumps(v)}"
                                    for k, v in expected.items()) + "\n}\n")

    # --- no_cam.pt ------------------------------------------------------------
    torch.manual_seed(SEED + 1)
    nc = NoCam().eval()
    nocam_path = os.path.join(args.out_dir, "no_cam.pt")
    torch.jit.script(nc).save(nocam_path)
    nc2 = torch.jit.load(nocam_path)
    assert not hasattr(nc2, "features") and not hasattr(nc2, "head")
    with torch.no_grad():
        assert tuple(nc2(fixed_input()).shape) == (1, NUM_CLASSES)

    # --- nan_when_bright.pt, fixed_input_16.pt --------------------------------
    torch.manual_seed(SEED + 2)
    nb_path = os.path.join(args.out_dir, "nan_when_bright.pt")
    torch.jit.script(NanWhenBright().eval()).save(nb_path)
    nb = torch.jit.load(nb_path)
    with torch.no_grad():
        dark = torch.zeros(1, C, H, W)
        assert torch.isfinite(nb(dark)).all()
        assert torch.isnan(nb(dark + 1.0)).all()
    torch.manual_seed(SEED + 3)
    fixed_path = os.path.join(args.out_dir, "fixed_input_16.pt")
    torch.jit.script(FixedInput16().eval()).save(fixed_path)
    fx = torch.jit.load(fixed_path)
    with torch.no_grad():
        assert tuple(fx(fixed_input()).shape) == (1, NUM_CLASSES)
        try:
            fx(torch.zeros(1, C, 2 * H, 2 * W))
            raise AssertionError("fixed_input_16 accepted a 32x32 input")
        except RuntimeError:
            pass

    print(f"torch {torch.__version__}")
    print(f"tiny_smooth logits: {[round(v, 6) for v in expected['logits']]}, target {ref['target']}")
    print(f"tiny_smooth features shape: {ref['features_shape']}, gradcam weights: "
          f"{[round(v, 6) for v in expected['gradcam_weights']]}")
    print(f"cam max {max(expected['gradcam']):.6f}, zeros {sum(v == 0 for v in expected['gradcam'])}/"
          f"{len(expected['gradcam'])}; |grad| max {ref['grad'].abs().max().item():.4e}")
    print(f"float32 finite differences: {json.dumps(fd32)}")
    print(f"float32 vs float64: logits {max_logit_diff:.2e}, grad {max_grad_diff:.2e}; "
          f"finite differences vs autograd: {fd_err:.2e}")
    for pth in (smooth_path, nocam_path, json_path, nb_path, fixed_path):
        print(f"wrote {pth} ({os.path.getsize(pth)} bytes)")
    write_tiny_dead(args.out_dir)
    write_tiny_smooth_scaled(args.out_dir)
    return 0


if __name__ == "__main__":
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:],
                  dict(os.environ, PYTHONHASHSEED="0", OMP_NUM_THREADS="1",
                       OPENBLAS_NUM_THREADS="1"))
    sys.exit(main())
