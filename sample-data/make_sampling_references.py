#!/usr/bin/env python3
"""Writes job/src/test/resources/reference/sampling.json: PyTorch references for the sampling methods
whose random draws the job takes from the engine's generator (EngineNoise), so PyTorch can repeat them
exactly: smoothgrad, smoothgrad_sq and vargrad at sigma > 0, and gradient_shap. SamplingReferenceTest
compares the job's maps with these.

The draws: before each draw, torch.manual_seed(Seeds.of(seed, purpose, image_id, sample)), where
Seeds.of is the first 8 bytes (big-endian, signed) of sha-256("seed|purpose|image_id|sample");
noise = torch.randn(3, S, S) * (sigma / std_c); gradient_shap's path point alpha = torch.rand(1) with
the purpose "gradient_shap_alpha".

  smoothgrad     max_c |mean_k g(x + eps_k)|         (Smilkov et al. 2017)
  smoothgrad_sq  max_c mean_k g(x + eps_k)^2
  vargrad        max_c var_k g(x + eps_k)             (Adebayo et al. 2018; population variance)
  gradient_shap  sum_c mean_k (x'_k - b) * g(b + alpha_k (x'_k - b)), x'_k = x + eps_k, b = 0
                 (Captum's GradientShap: NoiseTunnel over InputBaselineXGradient, captum/attr/_core/
                 gradient_shap.py, with the single black baseline)
g = d(target logit)/d(input), target = the predicted class of x.

    /usr/bin/python3 sample-data/make_sampling_references.py   # Debian python3-torch
"""
import hashlib
import json
import math
import os
import struct

import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
MODEL = os.path.join(ROOT, "job", "src", "test", "resources", "models", "tiny_smooth.pt")
OUT = os.path.join(ROOT, "job", "src", "test", "resources", "reference", "sampling.json")
SIZE = 16
SEED = 7
SAMPLES = 8
SIGMA = 0.15
STDEV = 0.1
STD = [0.229, 0.224, 0.225]
IMAGES = 3


def seed_of(seed, purpose, image_id, sample):
    d = hashlib.sha256(f"{seed}|{purpose}|{image_id}|{sample}".encode("utf-8")).digest()
    return struct.unpack(">q", d[:8])[0] & 0xFFFFFFFFFFFFFFFF


def image(k):
    # TinyModel.input(k): x[i] = (float) cos(0.07 (k + 1) i + k), computed in double
    n = 3 * SIZE * SIZE
    return torch.tensor([math.cos(0.07 * (k + 1) * i + k) for i in range(n)],
                        dtype=torch.float64).float().view(3, SIZE, SIZE)


def noisy(x, purpose, image_id, sample, sigma):
    scale = torch.tensor(sigma, dtype=torch.float32) / torch.tensor(STD, dtype=torch.float32)
    torch.manual_seed(seed_of(SEED, purpose, image_id, sample))
    eps = torch.randn(3, SIZE, SIZE)
    return x + eps * scale.view(3, 1, 1)


def grad(model, x, target):
    x = x.clone().unsqueeze(0).requires_grad_(True)
    model(x)[0, target].backward()
    return x.grad[0]


def main():
    model = torch.jit.load(MODEL).eval()
    out = {"size": SIZE, "seed": SEED, "samples": SAMPLES, "smoothgrad_sigma": SIGMA,
           "gradient_shap_stdev": STDEV, "mean": [0.0, 0.0, 0.0], "std": STD, "images": []}
    for k in range(IMAGES):
        x = image(k)
        image_id = f"img{k}"
        with torch.no_grad():
            target = int(model(x.unsqueeze(0))[0].argmax())
        gs = [grad(model, noisy(x, "smoothgrad", image_id, s, SIGMA), target).double()
              for s in range(SAMPLES)]
        g = torch.stack(gs)
        shap = torch.zeros(3, SIZE, SIZE, dtype=torch.float64)
        for s in range(SAMPLES):
            xs = noisy(x, "gradient_shap", image_id, s, STDEV)
            torch.manual_seed(seed_of(SEED, "gradient_shap_alpha", image_id, s))
            alpha = torch.rand(1)
            shap += xs.double() * grad(model, xs * alpha, target).double()
        shap /= SAMPLES
        maps = {
            "smoothgrad": g.mean(0).abs().amax(0),
            "smoothgrad_sq": (g * g).mean(0).abs().amax(0),
            "vargrad": g.var(0, unbiased=False).abs().amax(0),
            "gradient_shap": shap[0] + shap[1] + shap[2],
        }
        out["images"].append({"id": image_id, "target": target,
                              "maps": {m: [float(v) for v in t.flatten()] for m, t in maps.items()}})
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
    print("wrote", os.path.normpath(OUT), "torch", torch.__version__)


if __name__ == "__main__":
    main()
