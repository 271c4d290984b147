#!/usr/bin/env python3
"""Export the sample CNN (sample-data/model/shapes_cnn.pt, weights unchanged, not
retrained) as sample-data/model/shapes_cnn_guided.pt: the same forward/features/head
plus guided_gradient(x, target) and layer_activations(x) (see guided_contract.py).

Before writing, the script checks on the same weights that
  - forward equals the original model and head(features(x)) (max abs diff <= 1e-5),
  - guided_gradient equals an eager reference with backward hooks on every ReLU,
  - layer_activations reports every layer that has a weight,
and refuses to write on a mismatch.  It also writes the reference values the Java
tests compare with (job/src/test/resources/models/expected_shapes_guided.json):
for two fixed 32x32 inputs, the eager-hook guided gradient, the guided-backprop map
(max over channels of |guided gradient|), Grad-CAM upsampled to the input (bilinear,
align_corners=False) and Guided Grad-CAM (guided-backprop map x upsampled Grad-CAM).

Usage (from the repository root):

    /usr/bin/python3 sample-data/export_sample_guided.py
"""

import argparse
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import guided_contract as gc  # noqa: E402
from make_sample import CLASSES, IMAGE_SIZE, ShapesCNN  # noqa: E402

REF_SIZE = 32
DEFAULT_JSON = os.path.normpath(os.path.join(
    HERE, "..", "job", "src", "test", "resources", "models", "expected_shapes_guided.json"))


def load_sample(path):
    model = ShapesCNN(len(CLASSES))
    model.load_state_dict(torch.jit.load(path).state_dict(), strict=True)
    return model.eval()


def sample_layers(model):
    return list(model.body.children()), [nn.AdaptiveAvgPool2d(1), nn.Flatten(1), model.fc]


def reference_inputs():
    """x[0] = sin(0.1 i), x[1] = cos(0.07 i) over the flat CHW index i of a 3x32x32 image."""
    i = torch.arange(3 * REF_SIZE * REF_SIZE, dtype=torch.float64)
    return torch.stack([torch.sin(0.1 * i), torch.cos(0.07 * i)]).float().reshape(2, 3, REF_SIZE, REF_SIZE)


def eager_gradcam(model, x, target):
    a = model.features(x).detach().requires_grad_(True)
    g, = torch.autograd.grad(model.head(a).gather(1, target.view(-1, 1)).sum(), a)
    cam = F.relu((g.mean(dim=(2, 3), keepdim=True) * a).sum(1, keepdim=True))
    return F.interpolate(cam, size=x.shape[-2:], mode="bilinear", align_corners=False)[:, 0].detach()


def _floats(t):
    # 9 significant digits identify a float32 exactly.
    return [float(f"{v:.9g}") for v in t.detach().float().reshape(-1).tolist()]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--model", default=os.path.join(HERE, "model", "shapes_cnn.pt"), help="sample model")
    p.add_argument("--out", default=os.path.join(HERE, "model", "shapes_cnn_guided.pt"), help="output model")
    p.add_argument("--reference-json", default=DEFAULT_JSON, help="reference values for the Java tests")
    args = p.parse_args(argv)
    torch.set_num_threads(1)

    original = load_sample(args.model)
    staged = gc.staged_model(*sample_layers(original))
    scripted = torch.jit.script(staged)
    g = torch.Generator().manual_seed(7)
    checks = [gc.check_forward(scripted, original, torch.randn(2, 3, IMAGE_SIZE, IMAGE_SIZE, generator=g)),
              gc.check_forward(scripted, original, torch.randn(1, 3, 97, 131, generator=g))]
    x128 = torch.randn(3, 3, IMAGE_SIZE, IMAGE_SIZE, generator=g)
    checks.append(gc.check_guided(scripted, original, x128, torch.tensor([0, 2, 3])))
    x = reference_inputs()
    with torch.no_grad():
        predicted = original(x).argmax(1)
    target = torch.stack([(predicted[0] + 3) % len(CLASSES), predicted[1]])
    checks.append(gc.check_guided(scripted, original, x, target))
    checks.append(gc.check_layer_activations(scripted, x))
    for ok, report in checks:
        print(("OK    " if ok else "FAIL  ") + report)
    if not all(ok for ok, _ in checks):
        print(f"ERROR: not writing {args.out}: the staged model does not match the original", file=sys.stderr)
        return 1

    scripted.save(args.out)
    reloaded = torch.jit.load(args.out).eval()
    ok, report = gc.check_guided(reloaded, original, x, target)
    print(("OK    " if ok else "FAIL  ") + "reloaded: " + report)
    if not ok:
        os.remove(args.out)
        return 1

    guided = gc.eager_guided_gradient(original, x, target)
    backprop = guided.abs().amax(1)
    cam = eager_gradcam(original, x, target)
    with torch.no_grad():
        logits = original(x)
    expected = {
        "model": "sample-data/model/shapes_cnn_guided.pt",
        "input_formula": f"x[0,c,h,w] = (float32) sin(0.1 * i), x[1,c,h,w] = (float32) cos(0.07 * i), "
                         f"i = c*{REF_SIZE * REF_SIZE} + h*{REF_SIZE} + w (flat CHW index)",
        "input_shape": list(x.shape),
        "logits": _floats(logits),
        "targets": [int(t) for t in target],
        "target_rule": "image 0: (its predicted class + 3) mod 4, a class it does not predict; image 1: its predicted class",
        "guided_gradient": _floats(guided),
        "guided_gradient_note": "eager guided backpropagation on shapes_cnn.pt's weights: full backward hooks on "
                                "every nn.ReLU clamp the passed gradient at 0; [2,3,32,32] flattened",
        "guided_backprop": _floats(backprop),
        "guided_backprop_note": "max over channels of |guided_gradient|, [2,32,32] flattened",
        "gradcam": _floats(cam),
        "gradcam_note": "ReLU(sum_k w_k A_k) at 4x4, upsampled bilinearly (align_corners=False) to 32x32",
        "guided_gradcam": _floats(backprop * cam),
        "guided_gradcam_note": "guided_backprop * gradcam, elementwise, [2,32,32] flattened",
        "torch_version": torch.__version__,
    }
    with open(args.reference_json, "w") as f:
        f.write("{\n" + ",\n".join(f" {json.dumps(k)}: {json.dumps(v)}" for k, v in expected.items()) + "\n}\n")
    print(f"targets {expected['targets']}; max guided-backprop {backprop.max().item():.4e}, "
          f"max guided Grad-CAM {(backprop * cam).max().item():.4e}, zero Grad-CAM cells "
          f"{int((cam == 0).sum())}/{cam.numel()}")
    names = gc.write_layer_names(staged, original, args.out)
    print(f"wrote {args.out} ({os.path.getsize(args.out)} bytes), {names} and {args.reference_json}")
    return 0


if __name__ == "__main__":
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:],
                  dict(os.environ, PYTHONHASHSEED="0", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1"))
    sys.exit(main())
