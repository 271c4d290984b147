#!/usr/bin/env python3
"""Write the references of the job's preprocessing (--resize squash|crop) and the photographs and small
ResNet-18 that check it end to end.

  job/src/test/resources/reference/resize.json
      Synthetic uint8 RGB images (seeded) and what torchvision 0.14 makes of them: for `squash`,
      Resize((S, S), antialias=True); for `crop`, Resize(R, antialias=True) then CenterCrop(S). The tensor
      path on uint8 tensors, so the output is rounded back to uint8, as for a PIL image or read_image.
      Cases cover shrinking (the filter's support grows with the factor), enlarging, landscape and
      portrait, and centre crops whose offset (long - S) / 2 ends in .5 (torchvision rounds half to even).

  sample-data/photos/
      Four non-square photographs from scikit-image's data folder (CC0 / public domain, see
      sample-data/README.md), one per format: rocket.jpg (as shipped), chelsea.png (as shipped),
      coffee.tif (a 480 x 320 crop of coffee.png as deflate TIFF, by PIL) and coffee_portrait.webp (a 300 x 400
      portrait crop of coffee.png, lossless WebP, written by PIL).

  job/src/test/resources/models/resnet18_w8.pt
      A ResNet-18 (torchvision's layout: 7x7 stem, max-pool, 2-2-2-2 BasicBlocks, average pool, fc to 1000
      classes) at 1/8 of the width (8-16-32-64 channels) so that it is 0.8 MB, random weights from seed 0,
      batch norm in eval mode. Its fc is scaled so that the top-1 probabilities of the photographs are far
      from uniform: a random network's logits are nearly equal, and any preprocessing would agree on them.

  job/src/test/resources/reference/photo_probabilities.csv
      Per photograph: its size, and the model's top-1 class and probability after torchvision's eval
      transform (decode with PIL, convert("RGB"), to a uint8 tensor, Resize(256, antialias=True),
      CenterCrop(224), /255, ImageNet mean/std) -- the `crop` reference -- and after Resize((224, 224),
      antialias=True) -- the `squash` reference.

Usage (from the repository root, Debian's python3 with python3-torch, python3-torchvision, python3-pil):

    /usr/bin/python3 sample-data/make_preprocess_references.py SKIMAGE_DATA_DIR

where SKIMAGE_DATA_DIR holds scikit-image's chelsea.png, coffee.png and rocket.jpg (Debian's python3-skimage
has them in /usr/lib/python3/dist-packages/skimage/data). Deterministic: every random draw is seeded.
"""

import csv
import json
import os
import shutil
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision.transforms as T
import torchvision.transforms.functional as TF
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESOURCES = os.path.join(ROOT, "job", "src", "test", "resources")
PHOTOS = os.path.join(ROOT, "sample-data", "photos")
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]

# (name, height, width, mode, image size S, resize size R)
RESIZE_CASES = [
    ("shrink_square", 40, 40, "squash", 16, 0),
    ("shrink_landscape", 37, 83, "squash", 16, 0),
    ("enlarge_portrait", 9, 6, "squash", 16, 0),
    ("mixed_axes", 30, 7, "squash", 12, 0),
    ("crop_landscape_even", 45, 70, "crop", 16, 18),
    ("crop_landscape_half_down", 36, 58, "crop", 16, 18),
    ("crop_portrait_half_up", 62, 36, "crop", 16, 18),
    ("crop_enlarge", 10, 14, "crop", 16, 18),
    ("crop_r_equals_s", 50, 90, "crop", 20, 20),
]


def resize_reference(image_chw_uint8, mode, size, resize_size):
    if mode == "squash":
        return T.Resize((size, size), antialias=True)(image_chw_uint8)
    return T.CenterCrop(size)(T.Resize(resize_size, antialias=True)(image_chw_uint8))


def smooth_random_image(generator, height, width):
    """Noise plus gradients and edges, so that every filter weight shows in the output."""
    noise = torch.randint(0, 256, (3, height, width), generator=generator).float()
    ys = torch.linspace(0, 1, height)[:, None]
    xs = torch.linspace(0, 1, width)[None, :]
    ramp = 255 * (0.5 * xs + 0.5 * ys)
    edge = (xs > 0.6).float() * 200
    base = torch.stack([ramp.expand(height, width), edge.expand(height, width), 255 - ramp])
    return (0.6 * base + 0.4 * noise).round().clamp(0, 255).to(torch.uint8)


def write_resize_references():
    generator = torch.Generator().manual_seed(17)
    cases = []
    for name, height, width, mode, size, resize_size in RESIZE_CASES:
        image = smooth_random_image(generator, height, width)
        out = resize_reference(image, mode, size, resize_size)
        assert out.shape == (3, size, size), (name, out.shape)
        cases.append({
            "name": name, "mode": mode, "size": size, "resize_size": resize_size,
            "width": width, "height": height,
            # row-major RGB triples, as PIL and RgbPixels store them
            "rgb": image.permute(1, 2, 0).reshape(-1).tolist(),
            # the model input before /255: three planes R, G, B of size x size
            "expected": out.reshape(-1).tolist(),
        })
    path = os.path.join(RESOURCES, "reference", "resize.json")
    with open(path, "w") as f:
        json.dump({"torchvision": __import__("torchvision").__version__, "cases": cases}, f)
    print("wrote", path)


def write_photos(skimage_data):
    os.makedirs(PHOTOS, exist_ok=True)
    shutil.copyfile(os.path.join(skimage_data, "rocket.jpg"), os.path.join(PHOTOS, "rocket.jpg"))
    shutil.copyfile(os.path.join(skimage_data, "chelsea.png"), os.path.join(PHOTOS, "chelsea.png"))
    coffee = Image.open(os.path.join(skimage_data, "coffee.png")).convert("RGB")
    coffee.crop((60, 40, 540, 360)).save(os.path.join(PHOTOS, "coffee.tif"), compression="tiff_deflate")
    # Lossless: the job refuses lossy WebP (TwelveMonkeys 3.14.0's VP8 decoder tints colours).
    coffee.crop((150, 0, 450, 400)).save(os.path.join(PHOTOS, "coffee_portrait.webp"), lossless=True)
    return ["rocket.jpg", "chelsea.png", "coffee.tif", "coffee_portrait.webp"]


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU()
        self.down = nn.Identity()
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(y)) + self.down(x))


class NarrowResNet18(nn.Module):
    def __init__(self, width=8, classes=1000):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, width, 7, 2, 3, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
                                  nn.MaxPool2d(3, 2, 1))
        layers, cin = [], width
        for i, cout in enumerate([width, 2 * width, 4 * width, 8 * width]):
            stride = 1 if i == 0 else 2
            layers += [BasicBlock(cin, cout, stride), BasicBlock(cout, cout, 1)]
            cin = cout
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(cin, classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x):
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(self.layers(self.stem(x)), 1), 1))


def load_uint8(path):
    return torch.from_numpy(np.asarray(Image.open(path).convert("RGB")).copy()).permute(2, 0, 1)


def model_input(image_uint8, mode):
    x = resize_reference(image_uint8, mode, 224, 256)
    return TF.normalize(TF.convert_image_dtype(x, torch.float), MEAN, STD)


def write_model_and_probabilities(photos):
    torch.manual_seed(0)
    model = NarrowResNet18().eval()
    images = {name: load_uint8(os.path.join(PHOTOS, name)) for name in photos}
    with torch.no_grad():
        batch = torch.stack([model_input(im, "crop") for im in images.values()])
        features = torch.flatten(nn.functional.adaptive_avg_pool2d(model.layers(model.stem(batch)), 1), 1)
        # A random network's features share one large positive mean, which makes one class win for every
        # image: centre them on the photographs' mean, then scale so that the logits spread by about 4.
        model.fc.bias.copy_(-model.fc.weight @ features.mean(0))
        logits = model(batch)
        scale = 4.0 / logits.std(dim=1).mean()
        model.fc.weight.mul_(scale)
        model.fc.bias.mul_(scale)
    scripted = torch.jit.script(model)
    path = os.path.join(RESOURCES, "models", "resnet18_w8.pt")
    scripted.save(path)
    print("wrote", path, os.path.getsize(path), "bytes")
    rows = []
    with torch.no_grad():
        for name, image in images.items():
            crop = torch.softmax(model(model_input(image, "crop")[None]), 1)[0]
            squash = torch.softmax(model(model_input(image, "squash")[None]), 1)[0]
            top = int(crop.argmax())
            squash_top = int(squash.argmax())
            rows.append([name, image.shape[2], image.shape[1], top, f"{float(crop[top]):.6f}",
                         squash_top, f"{float(squash[squash_top]):.6f}", f"{float(squash[top]):.6f}"])
            print(f"{name}: crop top-1 {top} p={float(crop[top]):.4f}; squash gives p={float(squash[top]):.4f} "
                  f"for that class ({abs(float(squash[top]) / float(crop[top]) - 1):.1%} off)")
    path = os.path.join(RESOURCES, "reference", "photo_probabilities.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "width", "height", "crop_top1", "crop_top1_probability", "squash_top1",
                    "squash_top1_probability", "squash_probability_of_crop_top1"])
        w.writerows(rows)
    print("wrote", path)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_preprocess_references.py SKIMAGE_DATA_DIR")
    write_resize_references()
    write_model_and_probabilities(write_photos(sys.argv[1]))


if __name__ == "__main__":
    main()
