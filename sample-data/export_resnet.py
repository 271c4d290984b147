#!/usr/bin/env python3
"""Export torchvision ResNet-18 / ResNet-50 with RANDOM weights (fixed seed, nothing is
downloaded) to the spark-saliency TorchScript contract (forward / features / head, see
export_torchvision.py) for `bin/saliency bench`, and count the FLOPs of one forward pass.

FLOP count: forward hooks on every nn.Conv2d and nn.Linear add their multiply-accumulates
(MACs) for the actual input shape; FLOPs = 2 x MACs. A convolution does
    out_channels x out_h x out_w x (in_channels / groups) x kernel_h x kernel_w
MACs per image, a linear layer in_features x out_features. Batch norm, ReLU, pooling and
the residual additions are left out (under 1% of ResNet-50's arithmetic). This is the
convention of the usual "ResNet-50 = 4.1 GMACs" figure.

    /usr/bin/python3 sample-data/export_resnet.py --arch resnet50 --out-dir target/bench-models

writes target/bench-models/resnet50.pt and resnet50.json ({"arch", "flops_per_image",
"macs_per_image", ...}) and prints the same JSON on one line. --tiny prints the count of a
small fixed network instead (a unit test compares it with a hand computation).
"""

import argparse
import copy
import json
import os
import sys

import torch
import torch.nn as nn
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_torchvision import CamContract  # noqa: E402


def count_macs(model: nn.Module, x: torch.Tensor) -> int:
    """MACs of one forward of `model` on `x`, per image (conv and linear layers only)."""
    total = [0]

    def conv_hook(m, inputs, out):
        k = m.kernel_size[0] * m.kernel_size[1]
        total[0] += out.numel() // out.shape[0] * (m.in_channels // m.groups) * k

    def linear_hook(m, inputs, out):
        total[0] += out.numel() // out.shape[0] * m.in_features

    hooks = []
    for mod in model.modules():
        if isinstance(mod, nn.Conv2d):
            hooks.append(mod.register_forward_hook(conv_hook))
        elif isinstance(mod, nn.Linear):
            hooks.append(mod.register_forward_hook(linear_hook))
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in hooks:
            h.remove()
    return total[0]


class ChannelsLast(nn.Module):
    """The same network with weights and activations in channels-last (NHWC) memory format: DJL has no
    memory-format call, so the conversion lives in the TorchScript methods."""

    def __init__(self, inner: nn.Module):
        super().__init__()
        self.inner = inner.to(memory_format=torch.channels_last)

    @torch.jit.export
    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.inner.features(x.contiguous(memory_format=torch.channels_last))

    @torch.jit.export
    def head(self, a: torch.Tensor) -> torch.Tensor:
        return self.inner.head(a)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


class Bf16(nn.Module):
    """The same network computing in bfloat16 (weights and activations); float32 in and out, so the job,
    its methods and gradients with respect to the float32 input are unchanged."""

    def __init__(self, inner: nn.Module):
        super().__init__()
        self.inner = inner.to(torch.bfloat16)

    @torch.jit.export
    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.inner.features(x.to(torch.bfloat16)).float()

    @torch.jit.export
    def head(self, a: torch.Tensor) -> torch.Tensor:
        return self.inner.head(a.to(torch.bfloat16)).float()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


VARIANTS = {"fp32": lambda m: m, "channels_last": ChannelsLast, "bf16": Bf16}


def tiny_network() -> nn.Module:
    """Conv 3->4 (3x3, pad 1) on 8x8, ReLU, Linear 256->10: 6912 + 2560 = 9472 MACs per image."""
    return nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(256, 10))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--arch", choices=("resnet18", "resnet50"), default="resnet18")
    p.add_argument("--out-dir", default="target/bench-models")
    p.add_argument("--num-classes", type=int, default=1000)
    p.add_argument("--image-size", type=int, default=224)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--variant", choices=sorted(VARIANTS), default="fp32",
                   help="channels_last or bf16: the same weights in another memory format or precision "
                        "(written as <arch>-<variant>.pt; the check tolerance of bf16 is 0.1 of the logit range)")
    p.add_argument("--tiny", action="store_true", help="print the FLOP count of tiny_network() on 2x3x8x8")
    args = p.parse_args(argv)

    if args.tiny:
        macs = count_macs(tiny_network().eval(), torch.zeros(2, 3, 8, 8))
        print(json.dumps({"arch": "tiny", "macs_per_image": macs, "flops_per_image": 2 * macs}))
        return 0

    torch.manual_seed(args.seed)
    model = getattr(torchvision.models, args.arch)(weights=None, num_classes=args.num_classes).eval()
    x = torch.randn(2, 3, args.image_size, args.image_size, generator=torch.Generator().manual_seed(args.seed))
    macs = count_macs(model, x)

    wrapped = VARIANTS[args.variant](CamContract(args.arch, copy.deepcopy(model))).eval()
    name = args.arch if args.variant == "fp32" else args.arch + "-" + args.variant
    os.makedirs(args.out_dir, exist_ok=True)
    pt = os.path.join(args.out_dir, name + ".pt")
    tmp = pt + ".tmp"
    torch.jit.script(wrapped).save(tmp)
    m = torch.jit.load(tmp).eval()
    with torch.no_grad():
        ref = model(x)
        split = m.head(m.features(x))
        feats = m.features(x)
    diff = (ref - split).abs().max().item()
    tolerance = 1e-4 if args.variant != "bf16" else 0.1 * (ref.max() - ref.min()).item()
    if diff > tolerance:
        os.remove(tmp)
        print(f"ERROR: {args.arch}: head(features(x)) differs from the torchvision model by {diff:.3e}",
              file=sys.stderr)
        return 1
    os.replace(tmp, pt)
    info = {
        "arch": args.arch,
        "variant": args.variant,
        "max_abs_logit_difference_vs_fp32": diff,
        "model": pt,
        "image_size": args.image_size,
        "num_classes": args.num_classes,
        "seed": args.seed,
        "features_shape": list(feats.shape[1:]),
        "macs_per_image": macs,
        "flops_per_image": 2 * macs,
        "flop_count": "2 x MACs of Conv2d and Linear layers (forward hooks); BN, ReLU, pooling, adds excluded",
    }
    with open(os.path.join(args.out_dir, name + ".json"), "w") as f:
        json.dump(info, f, indent=1)
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    sys.exit(main())
