"""Why the engine self-check measures a repeatable disagreement again on moved images (docs/trust.md).

Rebuilds the load check's three seeded images (java.util.Random, seed 0x5eedc4ec, uniform pixels
normalised with ImageNet's mean/std) at --image-size 32, runs the sample model batched and one image per
pass in float32 and in float64, and prints how far each is from float64, then the nearest ReLU input to
its kink. Run with Debian's python3-torch:  /usr/bin/python3 sample-data/engine_check_kink.py [size]
"""
import sys

import torch

SEED = 0x5EEDC4EC
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]
MASK = (1 << 48) - 1


class JavaRandom:
    def __init__(self, seed):
        self.s = (seed ^ 0x5DEECE66D) & MASK

    def next_float(self):
        self.s = (self.s * 0x5DEECE66D + 0xB) & MASK
        return (self.s >> 24) / float(1 << 24)


def images(size, count=3):
    r = JavaRandom(SEED)
    out = []
    for _ in range(count):
        x = torch.empty(3, size, size)
        for c in range(3):
            vals = [(r.next_float() - MEAN[c]) / STD[c] for _ in range(size * size)]
            x[c] = torch.tensor(vals, dtype=torch.float32).view(size, size)
        out.append(x)
    return out


def gradients(model, xs, dtype):
    x = torch.stack(xs).to(dtype).requires_grad_(True)
    model.to(dtype)(x)[:, 0].sum().backward()
    return x.grad.detach().double()


def relative(a, b):
    return ((a - b).abs().max() / torch.maximum(a.abs().max(), b.abs().max())).item()


def main():
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 32
    torch.set_num_threads(1)
    model = torch.jit.load("sample-data/model/shapes_cnn.pt").eval()
    xs = images(size)
    batched = gradients(model, xs, torch.float32)
    single = torch.cat([gradients(model, [x], torch.float32) for x in xs])
    exact = gradients(model, xs, torch.float64)
    for i in range(len(xs)):
        print(
            f"image {i}: batched vs one-sample {relative(batched[i], single[i]):.3g}, "
            f"batched vs float64 {relative(batched[i], exact[i]):.3g}, "
            f"one-sample vs float64 {relative(single[i], exact[i]):.3g}"
        )
    h = torch.stack(xs).double()
    model.double()
    for name, layer in model.body.named_children():
        if layer.original_name == "ReLU":
            print(f"ReLU body.{name}: smallest |input| {h.abs().min().item():.3g} (largest {h.abs().max().item():.3g})")
        h = layer(h)


if __name__ == "__main__":
    main()
