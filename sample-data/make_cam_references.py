#!/usr/bin/env python3
"""Write the PyTorch references of the CAM family and GradientSHAP that the Java tests compare with:

  job/src/test/resources/reference/cam_index.json, <model>.cams.f32
      [methods, 8, 32, 32] float32 little-endian raw maps of the reference suite's two CNNs
      (bn_maxpool.pt, resnet_style.pt) on its 8 images (images.f32), for the predicted class;
      written by make_reference_suite.py, read here as they are. ReferenceSuiteTest compares the job's
      maps with them at several batch, micro-batch and thread counts.
  job/src/test/resources/models/expected_shapes_vit_cams.json
      the sample ViT's (sample-data/model/shapes_vit.pt) layercam and eigencam token maps on its 8x8
      patch grid, for the two inputs of expected_shapes_vit.json (the sine pattern and
      images/img_001.png), float64; VitMethodsTest compares them.

pytorch-grad-cam and Captum are not installed; their formulas are written out below, each citing its
paper and the library file it follows. A = features(x) [C, h, w] (a ViT's patch tokens laid on the grid),
G = d logit[t] / dA with the features run without a graph (as the job does), maps = ReLU(.) at feature
resolution, then upsampled bilinearly (align_corners=False) to the input:

  hirescam      sum_k G_k * A_k                    Draelos & Carin 2020; pytorch_grad_cam/hirescam.py
  xgradcam      w_k = sum_ij G A / (sum_ij A + 1e-7), sum_k w_k A_k
                                                   Fu et al. 2020; pytorch_grad_cam/xgrad_cam.py
  layercam      sum_k ReLU(G_k) * A_k              Jiang et al. 2021; pytorch_grad_cam/layer_cam.py
  eigencam      X = A as [cells, C], centred per channel; projection X @ VT[0] of the SVD X = U S VT
                (pytorch_grad_cam/utils/svd_on_activations.py get_2d_projection, Muhammad & Yeasin
                2020; pytorch_grad_cam/eigen_cam.py), its sign fixed so that it has a non-negative dot
                product with the channel sum of the uncentred A (LAPACK's sign is arbitrary)

Two forward-only CAMs weight the channels by model passes instead of gradients (t the target class,
y(.) its logit; every pass one sample, without a graph):

  scorecam      U_k = A_k upsampled to the input with corners aligned (UpsamplingBilinear2d),
                M_k = (U_k - min U_k) / (max U_k - min U_k + 1e-8), s_k = y(forward(x * M_k)),
                w = softmax_k(s), sum_k w_k A_k        Wang et al. 2020, Score-CAM;
                                                   pytorch_grad_cam/score_cam.py (logits and a softmax
                                                   over channels, where the paper weights by the
                                                   softmax probabilities themselves)
  ablationcam   y = y(forward(x)), y_k = y(head(A with channel k set to v)), v = 0 where min A = 0,
                else min A - 1e7; w_k = (y - y_k) / y, sum_k w_k A_k
                                                   Desai & Ramaswamy 2020, Ablation-CAM;
                                                   pytorch_grad_cam/ablation_cam.py, ablation_layer.py
                                                   (the model split at the target layer into
                                                   features and head)

The CNN maps are computed in float32 one sample per pass (the reductions in float64, as the job does)
and checked against the same maps in float64 before anything is written.

Usage (from the repository root; Debian's torch 1.13, a few seconds):

    /usr/bin/python3 sample-data/make_cam_references.py
"""

import json
import os
import re
import sys

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
RESOURCES = os.path.normpath(os.path.join(HERE, "..", "job", "src", "test", "resources"))
SUITE = os.path.join(RESOURCES, "reference")
XGRADCAM_EPS = 1e-7
# As make_reference_suite.py: a fifth of the Java test's 1e-4 of each map's range.
FLOAT64_TOLERANCE = 2e-5


# --------------------------------------------------------------------------
# The formulas, on one image: A, G [C, h, w] float64 -> map [h, w] float64 before the ReLU
# --------------------------------------------------------------------------

def hirescam(a, g):
    return (g * a).sum(0)


def xgradcam(a, g):
    w = (g * a / (a.sum(dim=(1, 2), keepdim=True) + XGRADCAM_EPS)).sum(dim=(1, 2))
    return (w[:, None, None] * a).sum(0)


def layercam(a, g):
    return (F.relu(g) * a).sum(0)


def eigencam(a, g=None):
    c, h, w = a.shape
    x = a.reshape(c, h * w).t()
    centred = x - x.mean(dim=0, keepdim=True)
    _, _, vt = torch.linalg.svd(centred, full_matrices=False)
    p = centred @ vt[0]
    if (p * x.sum(1)).sum() < 0:
        p = -p
    return p.reshape(h, w)


GRADIENT_CAMS = {"hirescam": hirescam, "xgradcam": xgradcam, "layercam": layercam, "eigencam": eigencam}
SCORECAM_EPS = 1e-8
ABLATION_VALUE = 1e7


def scorecam(model, x, t, a):
    """a [C, h, w] in the model's dtype; one masked input per channel, one per pass."""
    size = x.shape[-1]
    up = F.interpolate(a[None], size=(size, size), mode="bilinear", align_corners=True)[0]
    flat = up.reshape(up.shape[0], -1)
    lo, hi = flat.min(1).values[:, None, None], flat.max(1).values[:, None, None]
    masks = (up - lo) / (hi - lo + SCORECAM_EPS)
    with torch.no_grad():
        scores = torch.stack([model(x[None] * m[None, None])[0, t] for m in masks]).double()
    w = torch.softmax(scores, 0)
    return (w[:, None, None] * a.double()).sum(0)


def ablationcam(model, x, t, a):
    """a [C, h, w] in the model's dtype; the head on each ablated copy, one per pass."""
    value = 0.0 if a.min().item() == 0 else a.min().item() - ABLATION_VALUE
    with torch.no_grad():
        y = model(x[None])[0, t].double()
        ablated = []
        for k in range(a.shape[0]):
            b = a.clone()
            b[k] = value
            ablated.append(model.head(b[None])[0, t])
    w = (y - torch.stack(ablated).double()) / y
    return (w[:, None, None] * a.double()).sum(0)


FORWARD_CAMS = {"scorecam": scorecam, "ablationcam": ablationcam}


def feature_gradient(model, x, t):
    """A and d logit[t] / dA (features without a graph, as the job runs them), float64."""
    with torch.no_grad():
        a = model.features(x[None])
    a = a.detach().requires_grad_(True)
    g, = torch.autograd.grad(model.head(a)[0, t], a)
    return a.detach()[0].double(), g[0].double()


def upsampled(cam, size, dtype):
    c = F.relu(cam).to(dtype)
    return F.interpolate(c[None, None], size=(size, size), mode="bilinear", align_corners=False)[0, 0].float()


def cnn_maps(model, images, targets, methods):
    """[methods, images, S, S] float32, each map computed one sample per pass in the model's dtype."""
    dtype = next(model.parameters()).dtype
    size = images.shape[-1]
    out = []
    for name in methods:
        rows = []
        for x, t in zip(images, targets):
            x = x.to(dtype)
            if name in FORWARD_CAMS:
                with torch.no_grad():
                    a = model.features(x[None])[0]
                rows.append(upsampled(FORWARD_CAMS[name](model, x, t, a), size, dtype))
                continue
            a, g = feature_gradient(model, x, t)
            rows.append(upsampled(GRADIENT_CAMS[name](a, g), size, dtype))
        out.append(torch.stack(rows))
    return torch.stack(out)


def relative_error(a, ref):
    span = (ref.amax(dim=(-2, -1)) - ref.amin(dim=(-2, -1))).double()
    # A map can be constant: resnet_style's ablationcam of image 2 is ReLU(<= -1.4), all 0. Its error is
    # absolute (ReferenceSuiteTest requires such a map exactly).
    span = torch.where(span > 0, span, torch.ones_like(span))
    return ((a.double() - ref.double()).abs().amax(dim=(-2, -1)) / span).max().item()


def write_f32(path, t):
    t.detach().numpy().astype("<f4").tofile(path)


def suite_references(methods):
    with open(os.path.join(SUITE, "index.json")) as f:
        index = json.load(f)
    n, c, size, _ = index["images_shape"]
    images = torch.from_numpy(np.fromfile(os.path.join(SUITE, index["images_file"]), dtype="<f4")
                              .reshape(n, c, size, size).copy())
    checks, entries, maps = [], [], {}
    for entry in index["models"]:
        name = entry["name"]
        model = torch.jit.load(os.path.join(SUITE, entry["file"])).eval()
        targets = entry["targets"]
        with torch.no_grad():
            predicted = [int(v) for v in model(images).argmax(1)]
        checks.append((predicted == targets, f"{name}: predicted classes {predicted} (index.json: {targets})"))
        maps[name] = cnn_maps(model, images, targets, methods)
        wide = cnn_maps(torch.jit.load(os.path.join(SUITE, entry["file"])).eval().double(), images, targets,
                        methods)
        worst = {m: relative_error(maps[name][j], wide[j]) for j, m in enumerate(methods)}
        checks.append((max(worst.values()) <= FLOAT64_TOLERANCE,
                       f"{name}: float32 vs float64 maps, worst max|diff|/range {max(worst.values()):.2e} "
                       f"({max(worst, key=worst.get)})"))
        entries.append({"name": name, "file": entry["file"], "classes": entry["classes"],
                        "maps_file": f"{name}.cams.f32", "maps_shape": [len(methods), n, size, size],
                        "targets": targets, "float32_vs_float64": {m: float(f"{v:.3g}") for m, v in worst.items()}})
    return checks, entries, maps, index


def vit_references(methods):
    """The sample ViT's grid maps (float64) for the two inputs of expected_shapes_vit.json."""
    import make_sample_vit as msv
    from PIL import Image

    m = msv.python_twin(torch.jit.load(os.path.join(HERE, "model", "shapes_vit.pt")).eval()).double()
    scripted = torch.jit.load(os.path.join(HERE, "model", "shapes_vit.pt")).eval()
    rows, cols = [int(v) for v in scripted.patch_grid().tolist()]
    image = msv.shapes.preprocess_like_job(Image.open(os.path.join(HERE, "images", "img_001.png")))
    cases = []
    for name, x32 in [("sin", msv.fixed_input()), ("images/img_001.png", image)]:
        x = x32.double()
        with torch.no_grad():
            tokens = m.features(x)
            target = int(m.head(tokens)[0].argmax().item())
        t = tokens.detach().requires_grad_(True)
        g, = torch.autograd.grad(m.head(t)[0, target], t)

        def grid(v):
            return v[0, -rows * cols:].t().reshape(-1, rows, cols)

        a, ga = grid(t.detach()), grid(g)
        case = {"input": name, "target": target}
        for method in methods:
            case[method] = F.relu(GRADIENT_CAMS[method](a, ga)).flatten().tolist()
        cases.append(case)
    return {"script": "sample-data/make_cam_references.py", "model": "sample-data/model/shapes_vit.pt",
            "grid": [rows, cols], "torch_version": torch.__version__, "cases": cases}


def one_line_lists(text):
    return re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + re.sub(r"\s+", " ", m.group(1)) + "]", text)


def main():
    torch.set_num_threads(1)
    methods = list(GRADIENT_CAMS) + list(FORWARD_CAMS)
    checks, entries, maps, index = suite_references(methods)
    # Item 4 of issue #18: layercam and eigencam on token features (gradcam's reference is in
    # expected_shapes_vit.json). hirescam and xgradcam also run on tokens, but a token's sum_k G_k A_k over
    # signed activations cancels (the sine input's hirescam map peaks at 4e-8), and xgradcam divides by
    # sum_ij A_k, which signed tokens bring near 0: a float32 engine cannot match float64 there.
    vit = vit_references(["layercam", "eigencam"])
    for case in vit["cases"]:
        for method in ("layercam", "eigencam"):
            checks.append((max(case[method]) > 0, f"shapes_vit {case['input']}: {method} is not all zero"))
    for ok, text in checks:
        print(("OK    " if ok else "FAIL  ") + text)
    if not all(ok for ok, _ in checks):
        print("ERROR: the CAM references failed their checks; nothing written", file=sys.stderr)
        return 1
    for name, m in maps.items():
        write_f32(os.path.join(SUITE, f"{name}.cams.f32"), m)
    cam_index = {"script": "sample-data/make_cam_references.py", "torch_version": torch.__version__,
                 "dtype": "float32 little-endian, row-major", "image_size": index["image_size"],
                 "images_file": index["images_file"], "images_shape": index["images_shape"],
                 "normalisation": index["normalisation"], "target_rule": index["target_rule"],
                 "methods": methods, "settings": {"seed": 0}, "models": entries}
    with open(os.path.join(SUITE, "cam_index.json"), "w") as f:
        f.write(one_line_lists(json.dumps(cam_index, indent=1)) + "\n")
    path = os.path.join(RESOURCES, "models", "expected_shapes_vit_cams.json")
    with open(path, "w") as f:
        f.write(one_line_lists(json.dumps(vit, indent=1)) + "\n")
    print(f"wrote {SUITE}/cam_index.json, {', '.join(e['maps_file'] for e in entries)} and {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
