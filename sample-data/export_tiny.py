#!/usr/bin/env python3
"""Export the near-free model of the overhead benchmark (`bin/saliency bench-floor`, issue #20):
a convolution 3 -> 8 channels with 8 x 8 kernels at stride 8, ReLU, the spatial mean and a
Linear layer to 10 classes. Its forward + backward costs a few microseconds per image, so a
benchmark on it measures the job's own machinery (read, decode, resize, hash, summary, rows,
Parquet) and not the model. Random weights (seed 0), with the forward / features / head
contract of export_torchvision.py, so every CNN method runs on it.

    /usr/bin/python3 sample-data/export_tiny.py --out target/bench/tiny.pt
"""

import argparse
import os

import torch
import torch.nn as nn


class Tiny(nn.Module):
    def __init__(self, classes: int = 10):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, kernel_size=8, stride=8)
        self.fc = nn.Linear(8, classes)

    @torch.jit.export
    def features(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.conv(x))

    @torch.jit.export
    def head(self, a: torch.Tensor) -> torch.Tensor:
        return self.fc(a.mean(dim=(2, 3)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    torch.manual_seed(0)
    model = torch.jit.script(Tiny().eval())
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    model.save(args.out)
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
