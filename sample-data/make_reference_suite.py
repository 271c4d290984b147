#!/usr/bin/env python3
"""Write the PyTorch reference suite that ReferenceSuiteTest compares the job's raw maps with, into
job/src/test/resources/reference/ (by default):

  bn_maxpool.pt            model A: conv 3->8 -> BN -> ReLU -> max-pool 2 -> conv 8->16 -> BN -> ReLU
                           (= features) -> spatial mean -> linear 16->6 (= head); 6 classes
  resnet_style.pt          model B: stem conv 3->16 + BN + ReLU + max-pool 2, a torchvision BasicBlock
                           16->16 (identity skip) and one 16->32 with stride 2 (1x1 conv + BN skip)
                           (= features) -> global average pool -> linear 32->5 (= head); 5 classes
  *_guided.pt              the same weights rebuilt by guided_contract.py, with guided_gradient
                           (and layer_activations), for guided_backprop

BatchNorm running statistics and affine parameters are random, far from the identity; each head's
weights are shifted so that every class's logit averages 0 over the images, with bias 0 (centre_logits).
  images.f32               8 noisy natural-like 32x32 RGB images, [8,3,32,32] float32 little-endian,
                           values in [0, 1]: the job's input with normalisation mean 0, std 1
  <model>.maps.f32         [methods, 8, 32, 32] float32 little-endian: each method's raw map of each
                           image, at model-input resolution, for the image's predicted class
  index.json               shapes, method order, settings, targets, logits, seeds, torch version and
                           the checks below

Every map follows the job's definition (job/src/main/java/org/sparksaliency/job/method/), computed with
PyTorch autograd in float32 (the job's dtype) one sample per pass, the way the job was right on every
CPU; the reductions the job does in double (channel sums, means over samples, CAM weights, softmax)
are done in float64 here too:

  gradient              max over channels of |d logit[t] / dx|
  input_x_gradient      sum over channels of x * d logit[t] / dx
  integrated_gradients  midpoint rule, points (k + 1/2)/n, weights 1/n, black (zero) baseline;
                        sum over channels of (x - b) * mean gradient
  smoothgrad(_sq)       sigma 0, so every noisy copy is x: max over channels of |mean g| (of mean g^2)
  gradcam               w_k = spatial mean of d logit[t] / dA_k; ReLU(sum_k w_k A_k), bilinear
                        (align_corners=False) to 32x32
  gradcam_pp            pytorch-grad-cam's Grad-CAM++ weights (eps 1e-6), then as gradcam
  occlusion             window 10, stride 4 (starts 0, 4, ..., 20, 22 per axis), occluded pixels 0;
                        p(x) - mean over covering windows of p(occluded x), p the softmax of logit[t]
  guided_backprop       max over channels of |guided gradient|, from the eager reference (backward hooks
                        on every nn.ReLU clamp the gradient at 0), not from the scripted export

Checks before anything is written (the script fails with exit code 1 otherwise):

  * no near-kinks: at every input the gradient methods differentiate at (x and the IG path points),
    every ReLU input is at least KINK_RATIO times the layer's float32 rounding error (its largest
    |float32 - float64| difference) away from 0, and every max-pool window with a positive maximum has
    its maximum that far above the runner-up, so float32 rounding in another convolution algorithm
    cannot flip a kink; an image that fails is redrawn with the next noise seed;
  * the predicted class leads the runner-up by at least LOGIT_MARGIN;
  * the float32 maps agree with the same maps computed in float64 to FLOAT64_TOLERANCE of each map's
    range (so the reference itself is not hit by a float32 kernel problem);
  * the saved TorchScript files reload and give the eager model's logits (1e-5), and the guided export
    matches the eager backward-hook reference (guided_contract.check_guided).

Usage (from the repository root; Debian's torch 1.13 + torchvision, a few seconds):

    /usr/bin/python3 sample-data/make_reference_suite.py
"""

import argparse
import copy
import json
import os
import re
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.models.resnet import BasicBlock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import guided_contract as gc  # noqa: E402

DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "job", "src", "test", "resources", "reference"))
SIZE = 32
N_IMAGES = 8
MODEL_SEED = 2201
IMAGE_SEED = 5300
SETTINGS = {"ig_steps": 8, "ig_baseline": "black", "smoothgrad_samples": 4, "smoothgrad_sigma": 0.0,
            "seed": 0, "occlusion_window": 10, "occlusion_stride": 4}
METHODS = ["gradient", "input_x_gradient", "integrated_gradients", "smoothgrad", "smoothgrad_sq", "gradcam",
           "gradcam_pp", "occlusion", "guided_backprop"]
# How far (in units of the largest float32 rounding error of the layer) every ReLU input must be from 0
# and every max-pool maximum from its runner-up, at every input a gradient method differentiates at.
KINK_RATIO = 5.0
LOGIT_MARGIN = 1e-3
# A fifth of ReferenceSuiteTest's 1e-4: the reference's own float32 rounding leaves the job most of it.
# Occlusion comes closest (~8e-6): its map is a difference of softmax probabilities near p(x).
FLOAT64_TOLERANCE = 2e-5
GRADCAM_PP_EPS = 1e-6


# --------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------

class BnMaxPool(nn.Module):
    """Model A. features = conv-BN-ReLU-maxpool-conv-BN-ReLU, head = spatial mean + linear."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu1 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(16)
        self.relu2 = nn.ReLU()
        self.fc = nn.Linear(16, 6)

    @torch.jit.export
    def features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(self.relu1(self.bn1(self.conv1(x))))
        return self.relu2(self.bn2(self.conv2(x)))

    @torch.jit.export
    def head(self, a: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.mean(a, dim=[2, 3]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


def bn_maxpool_layers(m):
    return ([m.conv1, m.bn1, m.relu1, m.pool, m.conv2, m.bn2, m.relu2],
            [nn.AdaptiveAvgPool2d(1), nn.Flatten(1), m.fc])


class ResNetStyle(nn.Module):
    """Model B. features = stem (conv-BN-ReLU-maxpool) + two torchvision BasicBlocks, the second with
    stride 2 and a 1x1 conv + BN skip; head = global average pool + linear."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu = nn.ReLU()
        self.maxpool = nn.MaxPool2d(2)
        self.block1 = BasicBlock(16, 16)
        self.block2 = BasicBlock(16, 32, stride=2, downsample=nn.Sequential(
            nn.Conv2d(16, 32, 1, stride=2, bias=False), nn.BatchNorm2d(32)))
        self.fc = nn.Linear(32, 5)

    @torch.jit.export
    def features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        return self.block2(self.block1(x))

    @torch.jit.export
    def head(self, a: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.mean(a, dim=[2, 3]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


def resnet_style_layers(m):
    return ([m.conv1, m.bn1, m.relu, m.maxpool, m.block1, m.block2],
            [nn.AdaptiveAvgPool2d(1), nn.Flatten(1), m.fc])


def randomise_batch_norms(model, g):
    """Running statistics and affine parameters far from the identity, so that a kernel that ignored or
    misapplied them would show."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            n = m.num_features
            with torch.no_grad():
                m.running_mean.copy_(torch.empty(n).uniform_(-0.3, 0.3, generator=g))
                m.running_var.copy_(torch.empty(n).uniform_(0.5, 2.0, generator=g))
                m.weight.copy_(torch.empty(n).uniform_(0.5, 1.5, generator=g))
                m.bias.copy_(torch.empty(n).uniform_(-0.3, 0.3, generator=g))


def build_models():
    torch.manual_seed(MODEL_SEED)
    g = torch.Generator().manual_seed(MODEL_SEED)
    a, b = BnMaxPool(), ResNetStyle()
    for m in (a, b):
        randomise_batch_norms(m, g)
        # Default-initialised logits differ by ~0.1: scale the head so that the softmax (occlusion) moves.
        with torch.no_grad():
            m.fc.weight.mul_(8.0)
        m.eval()
    return [("bn_maxpool", a, bn_maxpool_layers(a)), ("resnet_style", b, resnet_style_layers(b))]


def centre_logits(model, images):
    """Makes each class's logit average 0 over the images, with the bias at 0, by moving each row of the
    head's weight along the mean feature. A random network predicts one class for nearly everything; now
    the images' predictions differ, so a pass whose rows explain different classes tests that every row
    gets its own target. With no bias, a positive predicted logit is a positive spatial mean of
    sum_k w_k A_k, so its Grad-CAM map is not all zero (relative_error refuses a constant map)."""
    with torch.no_grad():
        f = model.features(images).mean(dim=(2, 3))
        mean_feature = f.mean(0)
        shift = (f @ model.fc.weight.t()).mean(0) / mean_feature.dot(mean_feature)
        model.fc.weight.sub_(shift[:, None] * mean_feature[None, :])
        model.fc.bias.zero_()


# --------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------

def noisy_image(seed):
    """Low-frequency colour blobs over a base colour, a few rectangles and a hard edge, Gaussian pixel
    noise (sigma 12/255), clipped to [0, 1]: no two pixels alike, so no exact ties in ReLU or max-pool."""
    r = np.random.RandomState(seed)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64)
    img = np.ones((3, SIZE, SIZE)) * r.uniform(0.2, 0.8, size=(3, 1, 1))
    for _ in range(4):
        cy, cx = r.uniform(0, SIZE, size=2)
        s = r.uniform(5, 12)
        blob = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * s * s))
        img += r.uniform(-0.4, 0.4, size=(3, 1, 1)) * blob
    for _ in range(r.randint(2, 4)):
        y0, x0 = r.randint(0, SIZE - 6, size=2)
        h, w = r.randint(4, 14, size=2)
        img[:, y0:y0 + h, x0:x0 + w] = r.uniform(0.05, 0.95, size=(3, 1))[:, :, None]
    # A straight edge at a random angle: one side darker.
    angle, offset = r.uniform(0, np.pi), r.uniform(-8, 8)
    side = (np.cos(angle) * (xx - SIZE / 2) + np.sin(angle) * (yy - SIZE / 2)) > offset
    img -= 0.15 * side
    img += r.normal(0, 12 / 255, size=img.shape)
    return torch.from_numpy(np.clip(img, 0, 1).astype(np.float32))


def gradient_inputs(x):
    """Every input a gradient method differentiates at: x itself and the IG path points (black baseline)."""
    n = SETTINGS["ig_steps"]
    return [x] + [ig_alpha(k, n) * x for k in range(n)]


def layer_inputs(model, xs):
    """[(is a ReLU, its input)] of every ReLU and max-pool call, in call order."""
    seen = []
    hooks = [m.register_forward_pre_hook(lambda mod, args: seen.append((isinstance(mod, nn.ReLU), args[0].clone())))
             for m in model.modules() if isinstance(m, (nn.ReLU, nn.MaxPool2d))]
    try:
        with torch.no_grad():
            model(xs)
    finally:
        for h in hooks:
            h.remove()
    return seen


def kink_ratio(model, wide, x):
    """The smallest distance to a kink over x's gradient inputs, in units of float32 rounding: for each
    ReLU call, min |input| / max |float32 - float64 input|; for each max-pool call, the smallest lead of a
    window's positive maximum over the runner-up / (2 max |float32 - float64 input|); per input sample."""
    xs = torch.stack(gradient_inputs(x))
    worst = float("inf")
    for (relu, a), (_, b) in zip(layer_inputs(model, xs), layer_inputs(wide, xs.double())):
        err = (a.double() - b).abs().amax(dim=(1, 2, 3)).clamp(min=1e-12)
        if relu:
            worst = min(worst, (a.abs().amin(dim=(1, 2, 3)).double() / err).min().item())
        else:
            w = a.unfold(2, 2, 2).unfold(3, 2, 2).reshape(*a.shape[:2], -1, 4)
            top = w.topk(2, dim=-1).values
            # A window whose maximum is a ReLU zero passes no gradient: its ties do not matter.
            lead = torch.where(top[..., 0] > 0, top[..., 0] - top[..., 1], torch.full_like(top[..., 0], float("inf")))
            worst = min(worst, (lead.amin(dim=(1, 2)).double() / (2 * err)).min().item())
    return worst


def draw_images(models):
    """N_IMAGES images, each redrawn with the next seed until it is clear of kinks in every model."""
    wides = [copy.deepcopy(m).double() for _, m, _ in models]
    images, seeds, ratios = [], [], []
    for i in range(N_IMAGES):
        seed = IMAGE_SEED + 1000 * i
        while True:
            x = noisy_image(seed)
            found = [kink_ratio(m, wide, x) for (_, m, _), wide in zip(models, wides)]
            if min(found) >= KINK_RATIO:
                break
            seed += 1
            if seed >= IMAGE_SEED + 1000 * (i + 1):
                raise RuntimeError(f"Cannot draw image {i}: no seed in 1000 keeps every kink {KINK_RATIO}x float32 "
                                   f"rounding away")
        images.append(x)
        seeds.append(seed)
        ratios.append(found)
    return torch.stack(images), seeds, ratios


# --------------------------------------------------------------------------
# The job's methods, one sample per pass
# --------------------------------------------------------------------------

def ig_alpha(k, n):
    """MidpointRule.point, rounded to float as IntegratedGradientsMethod does."""
    return float(np.float32((k + 0.5) / n))


def input_gradient(model, x, target):
    xi = x[None].clone().requires_grad_(True)
    model(xi)[0, target].backward()
    return xi.grad[0].detach()


def channel_max_abs(v):
    return v.abs().amax(0).float()


def gradient(model, x, t):
    return channel_max_abs(input_gradient(model, x, t).double())


def input_x_gradient(model, x, t):
    return (x.double() * input_gradient(model, x, t).double()).sum(0).float()


def integrated_gradients(model, x, t):
    n = SETTINGS["ig_steps"]
    total = torch.zeros(x.shape, dtype=torch.float64)
    for k in range(n):
        # b + alpha (x - b) with b = 0, in x's dtype as the job fills it.
        total += (1.0 / n) * input_gradient(model, ig_alpha(k, n) * x, t).double()
    return (x.double() * total).sum(0).float()


def smoothgrad_stats(model, x, t):
    """sigma 0: every noisy copy equals x. (mean g, mean g^2) accumulated in float64 like the job."""
    n = SETTINGS["smoothgrad_samples"]
    assert SETTINGS["smoothgrad_sigma"] == 0.0
    s = torch.zeros(x.shape, dtype=torch.float64)
    sq = torch.zeros(x.shape, dtype=torch.float64)
    for _ in range(n):
        g = input_gradient(model, x, t).double()
        s += g
        sq += g * g
    return s / n, sq / n


def smoothgrad(model, x, t):
    return channel_max_abs(smoothgrad_stats(model, x, t)[0])


def smoothgrad_sq(model, x, t):
    return channel_max_abs(smoothgrad_stats(model, x, t)[1])


def feature_gradient(model, x, t):
    """Activations A and d logit[t] / dA; the features run without a graph, as in the job."""
    with torch.no_grad():
        a = model.features(x[None])
    a = a.detach().requires_grad_(True)
    g, = torch.autograd.grad(model.head(a)[0, t], a)
    return a.detach()[0].double(), g[0].double()


def cam(a, w, dtype):
    c = F.relu((w[:, None, None] * a).sum(0)).to(dtype)
    return F.interpolate(c[None, None], size=(SIZE, SIZE), mode="bilinear", align_corners=False)[0, 0].float()


def gradcam(model, x, t):
    a, g = feature_gradient(model, x, t)
    return cam(a, g.mean(dim=(1, 2)), x.dtype)


def gradcam_pp(model, x, t):
    a, g = feature_gradient(model, x, t)
    sum_a = a.sum(dim=(1, 2))[:, None, None]
    g2, g3 = g * g, g * g * g
    alpha = g2 / (2 * g2 + sum_a * g3 + GRADCAM_PP_EPS)
    w = torch.where(g > 0, alpha * g, torch.zeros_like(g)).sum(dim=(1, 2))
    return cam(a, w, x.dtype)


def occlusion_starts():
    window, stride = SETTINGS["occlusion_window"], SETTINGS["occlusion_stride"]
    s = list(range(0, SIZE - window + 1, stride))
    if s[-1] != SIZE - window:
        s.append(SIZE - window)
    return s


def probability(model, x, t):
    """Softmax of the float logits in float64, as SampleOutputs.probability."""
    with torch.no_grad():
        logits = model(x[None])[0].double()
    return torch.softmax(logits, 0)[t].item()


def occlusion(model, x, t):
    window = SETTINGS["occlusion_window"]
    starts = occlusion_starts()
    p0 = probability(model, x, t)
    total = np.zeros((SIZE, SIZE))
    count = np.zeros((SIZE, SIZE))
    # Row-major window order, as the job adds them up.
    for y0 in starts:
        for x0 in starts:
            xo = x.clone()
            xo[:, y0:y0 + window, x0:x0 + window] = 0
            total[y0:y0 + window, x0:x0 + window] += probability(model, xo, t)
            count[y0:y0 + window, x0:x0 + window] += 1
    return torch.from_numpy(p0 - total / count).float()


def guided_backprop(model, x, t):
    return channel_max_abs(gc.eager_guided_gradient(model, x[None], torch.tensor([t]))[0].double())


METHOD_FUNCTIONS = {"gradient": gradient, "input_x_gradient": input_x_gradient,
                    "integrated_gradients": integrated_gradients, "smoothgrad": smoothgrad,
                    "smoothgrad_sq": smoothgrad_sq, "gradcam": gradcam, "gradcam_pp": gradcam_pp,
                    "occlusion": occlusion, "guided_backprop": guided_backprop}
assert list(METHOD_FUNCTIONS) == METHODS


def reference_maps(model, images, targets):
    """[methods, images, SIZE, SIZE] float32 in the model's dtype."""
    dtype = next(model.parameters()).dtype
    return torch.stack([torch.stack([METHOD_FUNCTIONS[name](model, x.to(dtype), t)
                                     for x, t in zip(images, targets)]) for name in METHODS])


def relative_error(a, ref):
    """max |a - ref| / (max - min of ref), per map; the worst over maps."""
    span = (ref.amax(dim=(-2, -1)) - ref.amin(dim=(-2, -1))).double()
    err = (a.double() - ref.double()).abs().amax(dim=(-2, -1))
    assert (span > 0).all(), "a reference map is constant"
    return (err / span).max().item()


# --------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------

def save_scripted(model, path, images):
    torch.jit.script(model).save(path)
    reloaded = torch.jit.load(path).eval()
    with torch.no_grad():
        d = (reloaded(images) - model(images)).abs().max().item()
        d_split = (reloaded.head(reloaded.features(images)) - model(images)).abs().max().item()
    return d <= 1e-5 and d_split <= 1e-5, f"{os.path.basename(path)}: max |reloaded - eager| {d:.3e}, " \
                                          f"max |head(features) - eager| {d_split:.3e}"


def save_guided(model, layers, path, images, targets):
    scripted = torch.jit.script(gc.staged_model(*layers))
    checks = [gc.check_forward(scripted, model, images),
              gc.check_guided(scripted, model, images, torch.tensor(targets))]
    if all(ok for ok, _ in checks):
        scripted.save(path)
        ok, report = gc.check_guided(torch.jit.load(path).eval(), model, images, torch.tensor(targets))
        checks.append((ok, "reloaded: " + report))
    return [(ok, f"{os.path.basename(path)}: {report}") for ok, report in checks]


def write_f32(path, t):
    t.detach().numpy().astype("<f4").tofile(path)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--out", default=DEFAULT_OUT, help="output folder")
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)

    models = build_models()
    images, seeds, ratios = draw_images(models)
    for _, model, _ in models:
        centre_logits(model, images)
    print(f"image seeds {seeds}")
    checks, entries, maps = [], [], {}
    for k, (name, model, layers) in enumerate(models):
        with torch.no_grad():
            logits = torch.stack([model(x[None])[0] for x in images])
        top = logits.topk(2, dim=1).values
        targets = [int(t) for t in logits.argmax(1)]
        lead = (top[:, 0] - top[:, 1]).min().item()
        checks.append((lead >= LOGIT_MARGIN, f"{name}: predicted classes {targets}, smallest lead {lead:.3e}"))
        maps[name] = reference_maps(model, images, targets)
        wide = reference_maps(copy.deepcopy(model).double(), images, targets)
        worst64 = {m: relative_error(maps[name][j], wide[j]) for j, m in enumerate(METHODS)}
        checks.append((max(worst64.values()) <= FLOAT64_TOLERANCE,
                       f"{name}: float32 vs float64 maps, worst max|diff|/range {max(worst64.values()):.2e} "
                       f"({max(worst64, key=worst64.get)})"))
        ratio = min(r[k] for r in ratios)
        checks.append((ratio >= KINK_RATIO, f"{name}: nearest kink {ratio:.1f}x the float32 rounding error away"))
        checks.append(save_scripted(model, os.path.join(args.out, f"{name}.pt"), images))
        checks.extend(save_guided(model, layers, os.path.join(args.out, f"{name}_guided.pt"), images, targets))
        entries.append({
            "name": name, "file": f"{name}.pt", "guided_file": f"{name}_guided.pt",
            "classes": logits.shape[1], "maps_file": f"{name}.maps.f32",
            "maps_shape": [len(METHODS), N_IMAGES, SIZE, SIZE], "targets": targets,
            "logits": [[float(f"{v:.9g}") for v in row] for row in logits.tolist()],
            "float32_vs_float64": {m: float(f"{v:.3g}") for m, v in worst64.items()},
            "nearest_kink_in_rounding_errors": float(f"{ratio:.3g}"),
        })
    for ok, report in checks:
        print(("OK    " if ok else "FAIL  ") + report)
    if not all(ok for ok, _ in checks):
        print(f"ERROR: the reference suite failed its checks; {args.out} may hold partial files", file=sys.stderr)
        return 1

    write_f32(os.path.join(args.out, "images.f32"), images)
    for name, m in maps.items():
        write_f32(os.path.join(args.out, f"{name}.maps.f32"), m)
    index = {
        "script": "sample-data/make_reference_suite.py",
        "torch_version": torch.__version__,
        "dtype": "float32 little-endian, row-major",
        "image_size": SIZE,
        "images_file": "images.f32",
        "images_shape": [N_IMAGES, 3, SIZE, SIZE],
        "image_seeds": seeds,
        "normalisation": {"mean": [0.0, 0.0, 0.0], "std": [1.0, 1.0, 1.0]},
        "target_rule": "the image's predicted class (argmax of the logits)",
        "methods": METHODS,
        "settings": SETTINGS,
        "occlusion_starts": occlusion_starts(),
        "models": entries,
    }
    path = os.path.join(args.out, "index.json")
    text = json.dumps(index, indent=1)
    # One line per list of numbers or strings.
    text = re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + re.sub(r"\s+", " ", m.group(1)) + "]", text)
    with open(path, "w") as f:
        f.write(text + "\n")
    total = sum(os.path.getsize(os.path.join(args.out, n)) for n in os.listdir(args.out))
    print(f"wrote {args.out}: {len(os.listdir(args.out))} files, {total} bytes")
    return 0


if __name__ == "__main__":
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:],
                  dict(os.environ, PYTHONHASHSEED="0", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1"))
    sys.exit(main())
