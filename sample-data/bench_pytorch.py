#!/usr/bin/env python3
"""Plain PyTorch baseline for `bin/saliency bench`: the same saliency method on the same
TorchScript model and the same images, batched, as a PyTorch user would write it.

  gradient              one forward with autograd on the input, target = argmax of those
                        logits, one backward of sum_i logit[i, target_i]; map = max_c |dL/dx|
  gradcam               features(x) under torch.no_grad(), head(a) with autograd on a only,
                        target = argmax, backward; map = ReLU(sum_k mean(dL/dA_k) A_k),
                        upsampled bilinearly to the input size
  integrated_gradients  target = argmax of forward(x) under no_grad, then the `steps` inputs
                        x * (k + 0.5) / steps (black baseline, midpoint rule) of every image
                        through the model --batch samples at a time, as the job's micro-batches;
                        map = sum_c x * mean gradient

Images are decoded with PIL and resized to SxS (bilinear) once, before timing: the figure is
model work only, as the Java model-only figure. Prints one JSON line.

    /usr/bin/python3 sample-data/bench_pytorch.py --model target/bench/resnet18.pt \
        --images target/bench/images --method gradient --batch 8 --threads 2 --count 32
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


def load_images(folder, size, count):
    names = sorted(n for n in os.listdir(folder) if n.lower().endswith((".jpg", ".jpeg")))[:count]
    arrays = []
    for n in names:
        with Image.open(os.path.join(folder, n)) as im:
            im = im.convert("RGB").resize((size, size), Image.BILINEAR)
            arrays.append(np.asarray(im, dtype=np.float32) / 255.0)
    x = torch.from_numpy(np.stack(arrays)).permute(0, 3, 1, 2).contiguous()
    return (x - MEAN) / STD


def target_sum(logits, targets):
    return logits.gather(1, targets.view(-1, 1)).sum()


def gradient(model, x, steps, batch):
    x = x.clone().requires_grad_(True)
    logits = model(x)
    targets = logits.detach().argmax(1)
    target_sum(logits, targets).backward()
    return x.grad.abs().amax(1)


def gradcam(model, x, steps, batch):
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


def integrated_gradients(model, x, steps, batch):
    with torch.no_grad():
        targets = model(x).argmax(1)
    n = x.shape[0]
    alphas = (torch.arange(steps, dtype=x.dtype) + 0.5) / steps
    # every (image, step) input, image-major, through the model `batch` samples at a time
    path = (x.unsqueeze(1) * alphas.view(1, steps, 1, 1, 1)).reshape(n * steps, *x.shape[1:])
    path_targets = targets.repeat_interleave(steps)
    grads = torch.empty_like(path)
    for start in range(0, n * steps, batch):
        xs = path[start: start + batch].clone().requires_grad_(True)
        target_sum(model(xs), path_targets[start: start + batch]).backward()
        grads[start: start + batch] = xs.grad
    with torch.no_grad():
        return (x * grads.view(n, steps, *x.shape[1:]).mean(1)).sum(1)


METHODS = {"gradient": gradient, "gradcam": gradcam, "integrated_gradients": integrated_gradients}


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
    args = p.parse_args(argv)

    torch.set_num_threads(args.threads)
    model = torch.jit.load(args.model).eval()
    for param in model.parameters():
        param.requires_grad_(False)  # input gradients only, as the job does
    x_all = load_images(args.images, args.image_size, args.count)
    method = METHODS[args.method]
    for _ in range(2):  # warm-up: the TorchScript profiling executor optimises on the second run
        method(model, x_all[: args.batch], args.steps, args.batch)
    start = time.perf_counter()
    done = 0
    while done < len(x_all):
        method(model, x_all[done: done + args.batch], args.steps, args.batch)
        done += min(args.batch, len(x_all) - done)
    seconds = time.perf_counter() - start
    print(json.dumps({"method": args.method, "batch": args.batch, "threads": args.threads, "images": done,
                      "seconds": seconds, "images_per_second": done / seconds,
                      "torch": torch.__version__}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
