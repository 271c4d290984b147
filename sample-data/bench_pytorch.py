#!/usr/bin/env python3
"""Plain PyTorch baseline for `bin/saliency bench` and `bin/saliency bench-floor`: the same saliency
method on the same TorchScript model and the same images, batched, as a PyTorch user (or Captum)
would write it.

  gradient              one forward with autograd on the input, target = argmax of those
                        logits, one backward of sum_i logit[i, target_i]; map = max_c |dL/dx|
  gradcam               features(x) under torch.no_grad(), head(a) with autograd on a only,
                        target = argmax, backward; map = ReLU(sum_k mean(dL/dA_k) A_k),
                        upsampled bilinearly to the input size
  smoothgrad            target = argmax of forward(x) under no_grad; --smoothgrad-samples noisy
                        copies x + eps per image, eps ~ N(0, sigma / std_c) (sigma of the [0, 1]
                        pixel range), drawn in one batched torch.randn; the copies through the
                        model --micro-batch samples at a time; map = max_c |mean gradient|
  integrated_gradients  target = argmax of forward(x) under no_grad, then the `steps` inputs
                        x * (k + 0.5) / steps (black baseline = 0, midpoint rule) of every image
                        through the model --micro-batch samples at a time, as the job's
                        micro-batches; map = sum_c x * mean gradient

--micro-batch (samples per pass) defaults to --batch; 0 puts all samples of a batch of images
into one pass, as Captum does by default (internal_batch_size / nt_samples_batch_size None).
Every map is area-averaged to the --heatmap-size grid (as the job stores it; 0: kept at S x S)
and copied to a numpy array.

--stage model (default): images are decoded with PIL and resized once, before timing: the figure
is model work only, as the Java model-only figure. --stage explain: each batch's files are read,
decoded with PIL and resized inside the timing, as the job's explain stage does (resize as the
job: bilinear, half-pixel centres, no antialiasing, i.e. F.interpolate align_corners=False; a file
already S x S is not resized). Prints one JSON line.

    /usr/bin/python3 sample-data/bench_pytorch.py --model target/bench/resnet18.pt \
        --images target/bench/images --method gradient --batch 8 --threads 2 --count 32
    /usr/bin/python3 sample-data/bench_pytorch.py --stage explain --model target/bench/tiny.pt \
        --images target/bench/images-256 --method smoothgrad --batch 16 --micro-batch 0 --count 256
"""

import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


def image_files(folder, count):
    names = sorted(n for n in os.listdir(folder) if n.lower().endswith((".jpg", ".jpeg")))[:count]
    return [os.path.join(folder, n) for n in names]


def decode(paths, size):
    """The normalised [N, 3, S, S] input of the files, resized as the job resizes."""
    tensors = []
    for path in paths:
        with Image.open(path) as im:
            rgb = torch.from_numpy(np.asarray(im.convert("RGB"), dtype=np.float32))
        chw = rgb.permute(2, 0, 1).unsqueeze(0)
        if chw.shape[-2:] != (size, size):
            chw = F.interpolate(chw, size=(size, size), mode="bilinear", align_corners=False)
        tensors.append(chw)
    return (torch.cat(tensors) / 255.0 - MEAN) / STD


def to_grid(maps, grid):
    """[N, S, S] maps area-averaged to grid x grid and copied to the host, as the job stores them."""
    with torch.no_grad():
        if grid and grid != maps.shape[-1]:
            maps = F.adaptive_avg_pool2d(maps.unsqueeze(1), grid)[:, 0]
        return maps.detach().numpy().copy()


def target_sum(logits, targets):
    return logits.gather(1, targets.view(-1, 1)).sum()


def predicted(model, x):
    with torch.no_grad():
        return model(x).argmax(1)


def gradient(model, x, args):
    x = x.clone().requires_grad_(True)
    logits = model(x)
    targets = logits.detach().argmax(1)
    target_sum(logits, targets).backward()
    return x.grad.abs().amax(1)


def gradcam(model, x, args):
    with torch.no_grad():
        a = model.features(x)
    a.requires_grad_(True)
    logits = model.head(a)
    targets = logits.detach().argmax(1)
    target_sum(logits, targets).backward()
    with torch.no_grad():
        w = a.grad.mean((2, 3), keepdim=True)
        cam = (w * a).sum(1, keepdim=True).clamp_min(0)
        return F.interpolate(cam, size=x.shape[-2:], mode="bilinear", align_corners=False)[:, 0]


def through_model(model, samples, targets, micro):
    """Input gradients of every sample's target logit, `micro` samples per pass (0: all at once)."""
    micro = micro or len(samples)
    grads = torch.empty_like(samples)
    for start in range(0, len(samples), micro):
        xs = samples[start: start + micro].clone().requires_grad_(True)
        target_sum(model(xs), targets[start: start + micro]).backward()
        grads[start: start + micro] = xs.grad
    return grads


def smoothgrad(model, x, args):
    targets = predicted(model, x)
    n, k = x.shape[0], args.smoothgrad_samples
    scale = (args.smoothgrad_sigma / STD).view(1, 1, 3, 1, 1)
    noisy = (x.unsqueeze(1) + torch.randn(n, k, *x.shape[1:]) * scale).reshape(n * k, *x.shape[1:])
    grads = through_model(model, noisy, targets.repeat_interleave(k), args.micro_batch)
    with torch.no_grad():
        return grads.view(n, k, *x.shape[1:]).mean(1).abs().amax(1)


def integrated_gradients(model, x, args):
    steps = args.steps
    targets = predicted(model, x)
    n = x.shape[0]
    alphas = (torch.arange(steps, dtype=x.dtype) + 0.5) / steps
    # every (image, step) input, image-major, through the model `batch` samples at a time
    path = (x.unsqueeze(1) * alphas.view(1, steps, 1, 1, 1)).reshape(n * steps, *x.shape[1:])
    grads = through_model(model, path, targets.repeat_interleave(steps), args.micro_batch)
    with torch.no_grad():
        return (x * grads.view(n, steps, *x.shape[1:]).mean(1)).sum(1)


METHODS = {"gradient": gradient, "gradcam": gradcam, "smoothgrad": smoothgrad,
           "integrated_gradients": integrated_gradients}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True)
    p.add_argument("--images", required=True)
    p.add_argument("--method", choices=sorted(METHODS), required=True)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--count", type=int, default=32, help="images timed (after one warm-up batch)")
    p.add_argument("--image-size", type=int, default=224)
    p.add_argument("--steps", type=int, default=32, help="integrated_gradients steps")
    p.add_argument("--smoothgrad-samples", type=int, default=16)
    p.add_argument("--smoothgrad-sigma", type=float, default=0.15, help="share of the [0, 1] range")
    p.add_argument("--micro-batch", type=int, default=None,
                   help="samples per pass (default --batch; 0: all of a batch's samples at once)")
    p.add_argument("--heatmap-size", type=int, default=56, help="map grid (0: S x S)")
    p.add_argument("--stage", choices=["model", "explain"], default="model",
                   help="model: decode before timing; explain: decode each batch inside the timing")
    p.add_argument("--seed", type=int, default=0, help="torch.manual_seed for the SmoothGrad noise")
    args = p.parse_args(argv)
    if args.micro_batch is None:
        args.micro_batch = args.batch

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = torch.jit.load(args.model).eval()
    for param in model.parameters():
        param.requires_grad_(False)  # input gradients only, as the job does
    files = image_files(args.images, args.count)
    if not files:
        raise SystemExit(f"Cannot run the PyTorch baseline: no JPEG files in {args.images}")
    method = METHODS[args.method]
    pre = None if args.stage == "explain" else decode(files, args.image_size)

    def batch_at(start):
        if pre is not None:
            return pre[start: start + args.batch]
        return decode(files[start: start + args.batch], args.image_size)

    for _ in range(2):  # warm-up: the TorchScript profiling executor optimises on the second run
        to_grid(method(model, batch_at(0), args), args.heatmap_size)
    start = time.perf_counter()
    done = 0
    while done < len(files):
        to_grid(method(model, batch_at(done), args), args.heatmap_size)
        done += min(args.batch, len(files) - done)
    seconds = time.perf_counter() - start
    print(json.dumps({"method": args.method, "stage": args.stage, "batch": args.batch,
                      "micro_batch": args.micro_batch, "threads": args.threads, "images": done,
                      "seconds": seconds, "images_per_second": done / seconds,
                      "torch": torch.__version__}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
