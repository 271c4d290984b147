#!/usr/bin/env python3
"""Regenerate everything in sample-data/: synthetic "shapes" images, a small CNN
trained on them (exported as TorchScript with the forward/features/head
contract), the label list, the manifest with ground-truth boxes and metadata.

Deterministic: every random draw comes from fixed seeds (see --seed).  Running
the script twice on the same machine / torch build gives the same files; across
different CPUs or torch builds the trained weights may differ in the last bits.

Usage (from the repository root):

    /usr/bin/python3 sample-data/make_sample.py

The preprocessing used for evaluation is the one the Java job uses:

    decode to RGB uint8 HWC -> resize the whole image (aspect ratio ignored)
    to 128x128, bilinear -> divide by 255 -> (x - mean) / std per channel with
    the ImageNet mean (0.485, 0.456, 0.406) / std (0.229, 0.224, 0.225)
    -> CHW float32.

"Bilinear" here is what DJL 0.35.1 NDImageUtils.resize(..., BILINEAR) does on
the PyTorch engine (libtorch 2.7.1), verified against it: the same as
torch.nn.functional.interpolate(mode="bilinear", align_corners=False,
antialias=True) (and close to PIL's BILINEAR resize), i.e. antialiased
when shrinking.  A uint8 input comes back rounded to uint8, which changes nothing
that matters.  30% of the training images use the plain (non-antialiased)
bilinear interpolation instead, so a Java implementation that resizes without
antialiasing gets nearly the same results; the script prints the held-out
accuracy and Grad-CAM pointing for both.
"""

import argparse
import colorsys
import csv
import io
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image, ImageDraw

CLASSES = ["circle", "square", "triangle", "cross"]
IMAGE_SIZE = 128
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]
MIN_SIDE, MAX_SIDE = 140, 320
POINTING_TOLERANCE_PX = 15

HERE = os.path.dirname(os.path.abspath(__file__))


# --------------------------------------------------------------------------
# Synthetic scenes
# --------------------------------------------------------------------------

def _rand_colour(rng, sat=(0.0, 1.0), val=(0.0, 1.0)):
    h = rng.uniform(0.0, 1.0)
    s = rng.uniform(*sat)
    v = rng.uniform(*val)
    r, g, b = colorsys.hsv_to_rgb(h, s, v)
    return (int(r * 255), int(g * 255), int(b * 255))


def _rotate(points, cx, cy, theta):
    c, s = math.cos(theta), math.sin(theta)
    return [(cx + c * x - s * y, cy + s * x + c * y) for x, y in points]


def _shape_polygon(kind, cx, cy, r, theta):
    """Polygon (list of (x, y)) for square / triangle / cross of 'radius' r."""
    if kind == "square":
        a = 0.8 * r
        pts = [(-a, -a), (a, -a), (a, a), (-a, a)]
    elif kind == "triangle":
        # equilateral, centroid at the origin, apex up
        pts = [(r * math.cos(t), r * math.sin(t))
               for t in (-math.pi / 2, -math.pi / 2 + 2 * math.pi / 3,
                         -math.pi / 2 + 4 * math.pi / 3)]
        # shift down a bit so the bounding box is centred
        pts = [(x, y + 0.25 * r) for x, y in pts]
    elif kind == "cross":
        a, t = 0.95 * r, 0.32 * r
        pts = [(-t, -a), (t, -a), (t, -t), (a, -t), (a, t), (t, t),
               (t, a), (-t, a), (-t, t), (-a, t), (-a, -t), (-t, -t)]
    else:
        raise ValueError(kind)
    return _rotate(pts, cx, cy, theta)


def _draw_object(draw, kind, cx, cy, r, theta, fill, outline, width):
    if kind == "circle":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill,
                     outline=outline, width=width)
    else:
        draw.polygon(_shape_polygon(kind, cx, cy, r, theta), fill=fill,
                     outline=outline, width=width)


def make_scene(rng, label, width=None, height=None, noise_sigma=(3.0, 12.0)):
    """One cluttered scene with exactly one class object.

    Returns (PIL RGB image, (x0, y0, x1, y1)) with x1/y1 exclusive.
    """
    W = int(width if width is not None else rng.integers(MIN_SIDE, MAX_SIDE + 1))
    H = int(height if height is not None else rng.integers(MIN_SIDE, MAX_SIDE + 1))
    kind = CLASSES[label]

    # Background: base colour + low-frequency colour field + pixel noise.
    base = rng.uniform(50, 205, size=3)
    low = torch.from_numpy(rng.normal(0.0, 28.0, size=(1, 3, 4, 4)).astype(np.float32))
    low = F.interpolate(low, size=(H, W), mode="bilinear", align_corners=True)[0]
    bg = base[:, None, None] + low.numpy()
    bg = bg + rng.normal(0.0, rng.uniform(*noise_sigma), size=bg.shape)
    img = Image.fromarray(np.clip(bg, 0, 255).astype(np.uint8).transpose(1, 2, 0), "RGB")
    draw = ImageDraw.Draw(img)

    # Distractors: thin lines, small blobs and small arcs in arbitrary colours
    # (none of them is one of the four class shapes at object scale).
    m = min(W, H)
    for _ in range(int(rng.integers(3, 11))):
        x0, y0 = rng.uniform(0, W), rng.uniform(0, H)
        ln = rng.uniform(0.15, 0.6) * m
        ang = rng.uniform(0, 2 * math.pi)
        draw.line([(x0, y0), (x0 + ln * math.cos(ang), y0 + ln * math.sin(ang))],
                  fill=_rand_colour(rng), width=int(rng.integers(1, 3)))
    for _ in range(int(rng.integers(3, 13))):
        bx, by = rng.uniform(0, W), rng.uniform(0, H)
        rx, ry = rng.uniform(1.5, 6.0), rng.uniform(1.5, 6.0)
        outline = (0, 0, 0) if rng.uniform() < 0.3 else None
        draw.ellipse([bx - rx, by - ry, bx + rx, by + ry], fill=_rand_colour(rng),
                     outline=outline)
    for _ in range(int(rng.integers(0, 4))):
        ax, ay = rng.uniform(0, W), rng.uniform(0, H)
        ar = rng.uniform(5, 0.12 * m)
        start = rng.uniform(0, 360)
        draw.arc([ax - ar, ay - ar, ax + ar, ay + ar], start, start + rng.uniform(40, 160),
                 fill=_rand_colour(rng), width=int(rng.integers(1, 3)))

    # The object that decides the class.
    side = rng.uniform(0.25, 0.55) * m
    r = side / 2.0
    margin = 0.15 * r + 3
    cx = rng.uniform(r + margin, W - r - margin)
    cy = rng.uniform(r + margin, H - r - margin)
    theta = rng.uniform(-0.3, 0.3)
    fill = _rand_colour(rng, sat=(0.55, 1.0), val=(0.6, 1.0))
    dark = rng.uniform() < 0.8
    outline = tuple(int(v) for v in (rng.integers(0, 50, size=3) if dark
                                     else rng.integers(215, 256, size=3)))
    lw = max(2, int(round(side / 18)))
    _draw_object(draw, kind, cx, cy, r, theta, fill, outline, lw)

    mask = Image.new("L", (W, H), 0)
    _draw_object(ImageDraw.Draw(mask), kind, cx, cy, r, theta, 255, 255, lw)
    ys, xs = np.nonzero(np.asarray(mask))
    box = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)

    # A couple of thin lines may cross the object (clutter on top).
    for _ in range(int(rng.integers(0, 3))):
        x0, y0 = rng.uniform(0, W), rng.uniform(0, H)
        ln = rng.uniform(0.1, 0.4) * m
        ang = rng.uniform(0, 2 * math.pi)
        draw.line([(x0, y0), (x0 + ln * math.cos(ang), y0 + ln * math.sin(ang))],
                  fill=_rand_colour(rng), width=1)
    return img, box


# --------------------------------------------------------------------------
# Preprocessing (must match the Java job)
# --------------------------------------------------------------------------

_MEAN_T = torch.tensor(MEAN, dtype=torch.float32).view(1, 3, 1, 1)
_STD_T = torch.tensor(STD, dtype=torch.float32).view(1, 3, 1, 1)


def resize_like_java(rgb_uint8_hwc, size=IMAGE_SIZE, antialias=True):
    """uint8 HWC -> float32 [1,3,size,size] in 0..255.

    Bilinear, align_corners=False; antialias=True reproduces DJL's
    NDImageUtils.resize(BILINEAR) on the PyTorch engine."""
    t = torch.from_numpy(np.array(rgb_uint8_hwc, dtype=np.uint8, copy=True)).float().permute(2, 0, 1)[None]
    return F.interpolate(t, size=(size, size), mode="bilinear", align_corners=False,
                         antialias=antialias)


def normalise(x255):
    return (x255 / 255.0 - _MEAN_T) / _STD_T


def preprocess_like_job(pil_img, size=IMAGE_SIZE):
    """As the job's decoder with --resize squash: torchvision's Resize((size, size), antialias=True) on
    the uint8 image (rounded back to uint8), then normalised: [1,3,size,size] float32."""
    import torchvision.transforms as T
    t = torch.from_numpy(np.array(pil_img.convert("RGB"), dtype=np.uint8, copy=True)).permute(2, 0, 1)
    return normalise(T.Resize((size, size), antialias=True)(t).float()[None])


def resized_uint8_b64(pil_img, size=IMAGE_SIZE):
    """preprocess_like_job's resized uint8 pixels, CHW, base64."""
    import base64
    import torchvision.transforms as T
    t = torch.from_numpy(np.array(pil_img.convert("RGB"), dtype=np.uint8, copy=True)).permute(2, 0, 1)
    return base64.b64encode(T.Resize((size, size), antialias=True)(t).contiguous().numpy().tobytes()).decode()


def preprocess(pil_img, antialias=True):
    return normalise(resize_like_java(np.asarray(pil_img.convert("RGB")), antialias=antialias))


# --------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------

def _cbr(cin, cout, stride=1, dilation=1):
    return [nn.Conv2d(cin, cout, 3, stride, dilation, dilation=dilation, bias=False),
            nn.BatchNorm2d(cout), nn.ReLU()]


class ShapesCNN(nn.Module):
    """128x128 input -> features [B,64,16,16] (stride 8) -> GAP -> linear."""

    def __init__(self, num_classes: int = 4):
        super().__init__()
        self.body = nn.Sequential(
            *_cbr(3, 16, stride=2),        # 64x64
            *_cbr(16, 32, stride=2),       # 32x32
            *_cbr(32, 48),
            nn.MaxPool2d(2),               # 16x16
            *_cbr(48, 64),
            *_cbr(64, 64, dilation=2),     # last conv block -> features
        )
        self.fc = nn.Linear(64, num_classes)

    @torch.jit.export
    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)

    @torch.jit.export
    def head(self, a: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(a, 1), 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


# --------------------------------------------------------------------------
# Data sets
# --------------------------------------------------------------------------

def build_train_set(n, seed, log_every=1000):
    """n scenes, balanced classes, stored already resized as uint8 [n,3,128,128].

    70% of the images are resized exactly like DJL does (antialiased bilinear),
    30% with plain bilinear interpolation (no antialiasing); 30% are JPEG
    round-tripped first.  This keeps the model robust to the differences
    between decoders / resizers.
    """
    rng = np.random.default_rng(seed)
    xs = np.empty((n, 3, IMAGE_SIZE, IMAGE_SIZE), dtype=np.uint8)
    ys = np.empty((n,), dtype=np.int64)
    for i in range(n):
        label = i % len(CLASSES)
        img, _ = make_scene(rng, label)
        if rng.uniform() < 0.3:
            buf = io.BytesIO()
            img.save(buf, format="JPEG", quality=int(rng.integers(70, 96)))
            buf.seek(0)
            img = Image.open(buf).convert("RGB")
        antialias = bool(rng.uniform() >= 0.3)
        arr = resize_like_java(np.asarray(img), antialias=antialias)[0].round().clamp(0, 255).byte().numpy()
        xs[i] = arr
        ys[i] = label
        if log_every and (i + 1) % log_every == 0:
            print(f"  generated {i + 1}/{n}", flush=True)
    return torch.from_numpy(xs), torch.from_numpy(ys)


def build_eval_set(n, seed):
    """Held-out scenes preprocessed like the Java job (float, no rounding), with
    antialiased (DJL) and plain bilinear resizing."""
    rng = np.random.default_rng(seed)
    xs, xs_plain, ys = [], [], []
    for i in range(n):
        label = i % len(CLASSES)
        img, _ = make_scene(rng, label)
        xs.append(preprocess(img, antialias=True))
        xs_plain.append(preprocess(img, antialias=False))
        ys.append(label)
    return torch.cat(xs), torch.cat(xs_plain), torch.tensor(ys)


def augment(xb_uint8, gen):
    """Random dihedral transform (flips / 90 degree turns); classes are invariant."""
    x = xb_uint8
    if torch.rand(1, generator=gen).item() < 0.5:
        x = x.flip(3)
    if torch.rand(1, generator=gen).item() < 0.5:
        x = x.flip(2)
    if torch.rand(1, generator=gen).item() < 0.5:
        x = x.transpose(2, 3)
    return normalise(x.float())


# --------------------------------------------------------------------------
# Training / evaluation
# --------------------------------------------------------------------------

def train(model, xs, ys, epochs, batch_size, lr, seed):
    gen = torch.Generator().manual_seed(seed)
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if p.ndim == 1 else decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 5e-4},
                             {"params": no_decay, "weight_decay": 0.0}], lr=lr)
    steps_per_epoch = len(xs) // batch_size
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, epochs=epochs,
                                                steps_per_epoch=steps_per_epoch,
                                                pct_start=0.2)
    for ep in range(epochs):
        model.train()
        perm = torch.randperm(len(xs), generator=gen)
        t0, tot, correct, seen = time.time(), 0.0, 0, 0
        for s in range(steps_per_epoch):
            idx = perm[s * batch_size:(s + 1) * batch_size]
            xb = augment(xs[idx], gen)
            yb = ys[idx]
            logits = model(xb)
            loss = F.cross_entropy(logits, yb, label_smoothing=0.05)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(idx)
            correct += (logits.argmax(1) == yb).sum().item()
            seen += len(idx)
        print(f"  epoch {ep + 1}/{epochs}: loss {tot / seen:.4f}, train acc "
              f"{correct / seen:.4f} ({time.time() - t0:.1f}s)", flush=True)
    model.eval()
    return model


@torch.no_grad()
def accuracy(model, xs, ys, bs=200):
    correct = 0
    for i in range(0, len(xs), bs):
        correct += (model(xs[i:i + bs]).argmax(1) == ys[i:i + bs]).sum().item()
    return correct / len(xs)


def grad_cam(model, x, target=None):
    """Grad-CAM at feature resolution via the features/head contract.

    Returns (cam [h,w], logits [C], target index).
    """
    a = model.features(x).detach().requires_grad_(True)
    logits = model.head(a)
    if target is None:
        target = int(logits.argmax(1).item())
    g, = torch.autograd.grad(logits[0, target], a)
    w = g.mean(dim=(2, 3), keepdim=True)             # [1,C,1,1]
    cam = F.relu((w * a).sum(dim=1))[0]              # [h,w]
    return cam.detach(), logits.detach()[0], target


def cam_peak_in_original(cam, orig_w, orig_h, size=IMAGE_SIZE):
    """Upsample cam to size x size (bilinear, align_corners=False), take the argmax
    cell and map its centre back to original image pixels (x, y)."""
    up = F.interpolate(cam[None, None], size=(size, size), mode="bilinear",
                       align_corners=False)[0, 0]
    k = int(up.flatten().argmax().item())
    i, j = divmod(k, size)
    return (j + 0.5) * orig_w / size, (i + 0.5) * orig_h / size


def is_hit(px, py, box, tol=POINTING_TOLERANCE_PX):
    x0, y0, x1, y1 = box
    return (x0 - tol) <= px < (x1 + tol) and (y0 - tol) <= py < (y1 + tol)


# --------------------------------------------------------------------------
# Sample images
# --------------------------------------------------------------------------

def write_samples(out_dir, n, seed):
    """n images (even index -> .jpg q90, odd -> .png), balanced classes, shuffled."""
    rng = np.random.default_rng(seed)
    img_dir = os.path.join(out_dir, "images")
    os.makedirs(img_dir, exist_ok=True)
    for f in os.listdir(img_dir):
        if f.startswith("img_") and f.endswith((".jpg", ".png")):
            os.remove(os.path.join(img_dir, f))
    labels = [i % len(CLASSES) for i in range(n)]
    rng.shuffle(labels)
    rows = []
    for i, label in enumerate(labels):
        img, box = make_scene(rng, int(label), noise_sigma=(2.0, 7.0))
        ext = "jpg" if i % 2 == 0 else "png"
        rel = f"images/img_{i:03d}.{ext}"
        path = os.path.join(out_dir, rel)
        if ext == "jpg":
            img.save(path, format="JPEG", quality=90)
        else:
            img.save(path, format="PNG", optimize=True)
        rows.append((rel, CLASSES[int(label)]) + box)
    with open(os.path.join(out_dir, "manifest.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["path", "label", "x0", "y0", "x1", "y1"])
        w.writerows(rows)
    return rows


# --------------------------------------------------------------------------

def _reexec_with_fixed_hash_seed():
    """TorchScript serialisation orders some module constants by Python set/dict
    iteration; a fixed PYTHONHASHSEED makes the saved .pt byte-for-byte
    reproducible (the weights are reproducible either way)."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = dict(os.environ, PYTHONHASHSEED="0", OPENBLAS_NUM_THREADS="1")
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:], env)


def main(argv=None):
    p = argparse.ArgumentParser(
        description="Regenerate sample-data/: synthetic shape images + manifest, "
                    "a small TorchScript CNN (forward/features/head), labels and metadata.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--out-dir", default=HERE,
                   help="output folder (receives model/, images/, labels.txt, manifest.csv)")
    p.add_argument("--seed", type=int, default=20240601,
                   help="base seed; training data uses seed, held-out seed+1, "
                        "sample images seed+2, weight init / batch order seed+3")
    p.add_argument("--train-size", type=int, default=5000, help="number of training scenes")
    p.add_argument("--heldout-size", type=int, default=800, help="number of held-out scenes")
    p.add_argument("--num-samples", type=int, default=40, help="number of sample images written")
    p.add_argument("--epochs", type=int, default=6, help="training epochs")
    p.add_argument("--batch-size", type=int, default=64, help="training batch size")
    p.add_argument("--lr", type=float, default=4e-3, help="peak learning rate (one-cycle AdamW)")
    p.add_argument("--threads", type=int, default=1,
                   help="torch CPU threads (the trained weights depend on this; 1 uses the "
                        "least CPU time)")
    p.add_argument("--min-heldout-acc", type=float, default=0.95,
                   help="fail (exit 2) if held-out accuracy is below this")
    p.add_argument("--min-pointing", type=float, default=0.80,
                   help="fail (exit 2) if Grad-CAM pointing accuracy is below this")
    args = p.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed + 3)
    out_dir = os.path.abspath(args.out_dir)
    model_dir = os.path.join(out_dir, "model")
    os.makedirs(model_dir, exist_ok=True)
    t_start = time.time()

    print(f"torch {torch.__version__}; generating {args.train_size} training scenes", flush=True)
    xs, ys = build_train_set(args.train_size, args.seed)
    print(f"generating {args.heldout_size} held-out scenes", flush=True)
    hx, hx_plain, hy = build_eval_set(args.heldout_size, args.seed + 1)
    print(f"data ready after {time.time() - t_start:.1f}s", flush=True)

    model = ShapesCNN(len(CLASSES))
    t_train = time.time()
    cpu0 = time.process_time()
    train(model, xs, ys, args.epochs, args.batch_size, args.lr, args.seed + 3)
    print(f"training took {time.time() - t_train:.1f}s wall, "
          f"{time.process_time() - cpu0:.1f}s CPU", flush=True)

    # Export and re-load.
    model.eval()
    scripted = torch.jit.script(model)
    model_path = os.path.join(model_dir, "shapes_cnn.pt")
    scripted.save(model_path)
    m = torch.jit.load(model_path)
    m.eval()

    with torch.no_grad():
        for shape in [(2, 3, IMAGE_SIZE, IMAGE_SIZE), (1, 3, 200, 150), (1, 3, 97, 131)]:
            x = torch.randn(*shape, generator=torch.Generator().manual_seed(7))
            f1 = m.forward(x)
            f2 = m.head(m.features(x))
            f3 = model(x)
            diff = (f1 - f2).abs().max().item()
            assert diff <= 1e-6, f"forward != head(features) for {shape}: {diff}"
            assert (f1 - f3).abs().max().item() <= 1e-4, "reloaded model differs from trained one"
        fshape = tuple(m.features(torch.zeros(1, 3, IMAGE_SIZE, IMAGE_SIZE)).shape)
    print(f"export check OK: forward == head(features) (max diff <= 1e-6); "
          f"features shape at {IMAGE_SIZE}: {list(fshape)}")

    heldout_acc = accuracy(m, hx, hy)
    heldout_acc_plain = accuracy(m, hx_plain, hy)
    print(f"held-out accuracy: {heldout_acc:.4f} ({args.heldout_size} images; "
          f"{heldout_acc_plain:.4f} with non-antialiased resizing)")

    # Sample images + pointing game with the re-loaded TorchScript model.
    rows = write_samples(out_dir, args.num_samples, args.seed + 2)
    hits_true = hits_pred = hits_plain = correct = correct_plain = 0
    ref_rows = []
    for rel, label, x0, y0, x1, y1 in rows:
        img = Image.open(os.path.join(out_dir, rel)).convert("RGB")
        box = (x0, y0, x1, y1)
        t = CLASSES.index(label)
        x = preprocess(img)                      # DJL-equivalent (antialiased) resize
        cam, logits, _ = grad_cam(m, x, target=t)
        px, py = cam_peak_in_original(cam, img.width, img.height)
        hit = is_hit(px, py, box)
        hits_true += hit
        pred = int(logits.argmax().item())
        correct += pred == t
        cam_p, _, _ = grad_cam(m, x, target=pred)
        hits_pred += is_hit(*cam_peak_in_original(cam_p, img.width, img.height), box)
        xp = preprocess(img, antialias=False)    # plain bilinear resize
        cam_n, logits_n, _ = grad_cam(m, xp, target=t)
        hits_plain += is_hit(*cam_peak_in_original(cam_n, img.width, img.height), box)
        correct_plain += int(logits_n.argmax().item()) == t
        prob = torch.softmax(logits, 0)[pred].item()
        ref_rows.append([rel, label, CLASSES[pred], f"{prob:.4f}", f"{px:.3f}", f"{py:.3f}", int(hit)])
    n = len(rows)
    pointing = hits_true / n
    print(f"sample accuracy: {correct / n:.4f} ({correct}/{n}); "
          f"{correct_plain / n:.4f} with non-antialiased resizing")
    print(f"Grad-CAM pointing (target = true class): {pointing:.4f} ({hits_true}/{n}), "
          f"tolerance {POINTING_TOLERANCE_PX}px")
    print(f"Grad-CAM pointing (target = predicted class): {hits_pred / n:.4f} ({hits_pred}/{n})")
    print(f"Grad-CAM pointing (true class, non-antialiased resizing): {hits_plain / n:.4f} "
          f"({hits_plain}/{n})")

    with open(os.path.join(out_dir, "reference_outputs.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["path", "label", "predicted", "probability", "cam_peak_x", "cam_peak_y", "hit"])
        w.writerows(ref_rows)

    with open(os.path.join(out_dir, "labels.txt"), "w") as f:
        f.write("\n".join(CLASSES) + "\n")

    meta = {
        "image_size": IMAGE_SIZE,
        "classes": CLASSES,
        "mean": MEAN,
        "std": STD,
        "heldout_accuracy": round(heldout_acc, 4),
        "gradcam_pointing": round(pointing, 4),
        "heldout_accuracy_no_antialias": round(heldout_acc_plain, 4),
        "gradcam_pointing_no_antialias": round(hits_plain / n, 4),
        "gradcam_pointing_predicted_class": round(hits_pred / n, 4),
        "gradcam_pointing_tolerance_px": POINTING_TOLERANCE_PX,
        "features_shape_at_image_size": list(fshape[1:]),
        "preprocessing": "RGB; resize the whole image (aspect ratio ignored) to image_size x "
                         "image_size, bilinear (align_corners=False, antialiased when shrinking = "
                         "DJL NDImageUtils.resize BILINEAR on PyTorch); /255; (x-mean)/std; "
                         "CHW float32",
        "torch_version": torch.__version__,
        "seed": args.seed,
        "train_size": args.train_size,
        "epochs": args.epochs,
    }
    with open(os.path.join(model_dir, "shapes_cnn.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")

    print(f"wrote {model_path} ({os.path.getsize(model_path)} bytes), {n} images, "
          f"manifest.csv, labels.txt, model/shapes_cnn.json in {time.time() - t_start:.1f}s")
    ok = True
    if heldout_acc < args.min_heldout_acc:
        print(f"WARNING: held-out accuracy {heldout_acc:.4f} < {args.min_heldout_acc}")
        ok = False
    if pointing < args.min_pointing:
        print(f"WARNING: Grad-CAM pointing {pointing:.4f} < {args.min_pointing}")
        ok = False
    return 0 if ok else 2


if __name__ == "__main__":
    _reexec_with_fixed_hash_seed()
    sys.exit(main())
