#!/usr/bin/env python3
"""Writes job/src/test/resources/reference/noise.json: PyTorch's CPU normal draws for a few seeds,
the stream the job's SmoothGrad noise comes from (EngineNoise: torch.manual_seed(seed) right before
each draw). EngineNoiseTest checks that the job's libtorch draws the same values.

    /usr/bin/python3 sample-data/make_noise_reference.py   # Debian python3-torch
"""
import json
import os

import torch

# Seeds as Seeds.of gives them: any signed 64-bit value; torch.manual_seed takes it modulo 2^64.
SEEDS = [0, 1, 42, -7046029254386353131, 9007199254740993]
SHAPE = (3, 5, 7)

out = {"torch": torch.__version__, "shape": list(SHAPE), "draws": []}
for s in SEEDS:
    torch.manual_seed(s & 0xFFFFFFFFFFFFFFFF)
    out["draws"].append({"seed": s, "values": [float(v) for v in torch.randn(SHAPE).flatten()]})
path = os.path.join(os.path.dirname(__file__), "..", "job", "src", "test", "resources", "reference",
                    "noise.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", os.path.normpath(path))
