#!/usr/bin/env python3
"""Writes job/src/test/resources/reference/sampling.json: PyTorch references for the sampling methods
whose random draws the job takes from the engine's generator (EngineNoise), so PyTorch can repeat them
exactly: smoothgrad, smoothgrad_sq and vargrad at sigma > 0, and gradient_shap. SamplingReferenceTest
compares the job's maps with these.

The draws come in chunks of CHUNK = 16 consecutive samples of an image (EngineNoise.CHUNK): chunk c
holds samples [16c, min(16c + 16, N)) and is one draw right after
torch.manual_seed(Seeds.of(seed, purpose, image_id, c)), where Seeds.of is the first 8 bytes
(big-endian, signed) of sha-256("seed|purpose|image_id|c"); noise = torch.randn(rows, 3, S, S) *
(sigma / std_c); gradient_shap's path points alpha = torch.rand(rows) with the purpose
"gradient_shap_alpha". N = 20 here, so every image has a full chunk and a short one.

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
SAMPLES = 20
CHUNK = 16
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


def draws(purpose, image_id, shape, draw):
    """The N samples' draws of one image, chunk by chunk: [N, *shape]."""
    chunks = []
    for c in range((SAMPLES + CHUNK - 1) // CHUNK):
        rows = min(CHUNK, SAMPLES - c * CHUNK)
        torch.manual_seed(seed_of(SEED, purpose, image_id, c))
        chunks.append(draw(rows, *shape))
    return torch.cat(chunks)


def noisy(x, purpose, image_id, sigma):
    """The N noisy copies of x, [N, 3, S, S]."""
    scale = torch.tensor(sigma, dtype=torch.float32) / torch.tensor(STD, dtype=torch.float32)
    eps = draws(purpose, image_id, (3, SIZE, SIZE), torch.randn)
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
        copies = noisy(x, "smoothgrad", image_id, SIGMA)
        g = torch.stack([grad(model, copies[s], target).double() for s in range(SAMPLES)])
        shap = torch.zeros(3, SIZE, SIZE, dtype=torch.float64)
        shap_noisy = noisy(x, "gradient_shap", image_id, STDEV)
        alphas = draws("gradient_shap_alpha", image_id, (), torch.rand)
        for s in range(SAMPLES):
            xs = shap_noisy[s]
            shap += xs.double() * grad(model, xs * alphas[s], target).double()
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
