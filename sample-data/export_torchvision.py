#!/usr/bin/env python3
"""Export a torchvision classifier to the TorchScript contract spark-saliency
expects:

    forward(x)  -> logits [B, num_classes]
    features(x) -> activations of the last convolutional block [B, C, h, w]
    head(a)     -> logits from those activations (pooling + classifier)
    forward(x) == head(features(x))

The wrapper does not change any weight; it only splits the network in two.

  resnet18 / resnet50: features = conv1 .. layer4   (7x7 at 224 input)
                       head     = avgpool + flatten + fc
  vgg16:               features = model.features    (7x7 at 224; ends with a max-pool)
                       head     = avgpool + flatten + classifier
                       --vgg-before-last-pool moves that last max-pool into the head,
                       so features are the last conv+ReLU output (14x14 at 224), which
                       gives finer Grad-CAM maps.

Examples (random weights; nothing is downloaded):

    /usr/bin/python3 sample-data/export_torchvision.py --arch resnet18 --num-classes 1000 --out /tmp/resnet18.pt
    /usr/bin/python3 sample-data/export_torchvision.py --arch resnet50 --weights my_resnet50_state_dict.pth \\
        --num-classes 10 --out my_model.pt

Use the same preprocessing in the job as the model was trained with (image size,
mean/std); torchvision ImageNet models use 224x224 and the ImageNet mean/std.

--guided adds guided_gradient(x, target) for the methods guided_backprop and
guided_gradcam; --layer-activations adds layer_activations(x) for --layer-stats.
Both rebuild the network as stages (guided_contract.py, same weights); before
writing, the script checks guided_gradient against an eager reference with backward
hooks on every ReLU and refuses to write a model whose maps differ:

    /usr/bin/python3 sample-data/export_torchvision.py --arch resnet18 --guided \
        --layer-activations --out /tmp/resnet18_guided.pt
"""

import argparse
import os
import sys

import torch
import torch.nn as nn
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import guided_contract  # noqa: E402

ARCHS = ("resnet18", "resnet34", "resnet50", "resnet101", "vgg11", "vgg16", "vgg16_bn", "vgg19")


class CamContract(nn.Module):
    """Wraps a torchvision ResNet or VGG as forward/features/head."""

    def __init__(self, arch: str, model: nn.Module, vgg_before_last_pool: bool = False):
        super().__init__()
        if arch.startswith("resnet"):
            self.body = nn.Sequential(model.conv1, model.bn1, model.relu, model.maxpool,
                                      model.layer1, model.layer2, model.layer3, model.layer4)
            self.pre_pool = nn.Identity()
            self.pool = model.avgpool
            self.classifier = model.fc
        elif arch.startswith("vgg"):
            feats = model.features
            if vgg_before_last_pool:
                assert isinstance(feats[-1], nn.MaxPool2d)
                self.body = nn.Sequential(*list(feats.children())[:-1])
                self.pre_pool = feats[-1]
            else:
                self.body = feats
                self.pre_pool = nn.Identity()
            self.pool = model.avgpool
            self.classifier = model.classifier
        else:
            raise ValueError(f"unsupported arch {arch}")

    @torch.jit.export
    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)

    @torch.jit.export
    def head(self, a: torch.Tensor) -> torch.Tensor:
        return self.classifier(torch.flatten(self.pool(self.pre_pool(a)), 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


def load_state_dict(path):
    sd = torch.load(path, map_location="cpu")
    if isinstance(sd, dict):
        for key in ("state_dict", "model_state_dict", "model"):
            if key in sd and isinstance(sd[key], dict):
                sd = sd[key]
                break
    if not isinstance(sd, dict):
        raise SystemExit(f"{path}: expected a state_dict (dict of tensors), got {type(sd).__name__}; "
                         "save it with torch.save(model.state_dict(), path)")
    return {(k[len("module."):] if k.startswith("module.") else k): v for k, v in sd.items()}


def main(argv=None):
    p = argparse.ArgumentParser(
        description="Export a torchvision ResNet/VGG as TorchScript with forward/features/head "
                    "for spark-saliency (Grad-CAM needs features/head).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--arch", choices=ARCHS, required=True, help="torchvision architecture")
    p.add_argument("--num-classes", type=int, default=1000, help="number of output classes")
    p.add_argument("--weights", metavar="FILE",
                   help="local state_dict (.pth) to load (strict); default: random weights "
                        "(weights=None), nothing is downloaded")
    p.add_argument("--out", required=True, metavar="FILE", help="output TorchScript file (.pt)")
    p.add_argument("--image-size", type=int, default=224, help="input size used for the self-check")
    p.add_argument("--vgg-before-last-pool", action="store_true",
                   help="vgg16 only: features = output of the last conv+ReLU (before the final max-pool)")
    p.add_argument("--seed", type=int, default=0, help="seed for random weights and the check input")
    p.add_argument("--guided", action="store_true",
                   help="add guided_gradient(x, target) (guided backpropagation), checked against an eager "
                        "backward-hook reference before writing")
    p.add_argument("--layer-activations", action="store_true",
                   help="add layer_activations(x) (per-layer activations, for --layer-stats)")
    p.add_argument("--check-batch", type=int, default=2, help="images in the export-time checks")
    args = p.parse_args(argv)

    torch.manual_seed(args.seed)
    model = getattr(torchvision.models, args.arch)(weights=None, num_classes=args.num_classes)
    if args.weights:
        model.load_state_dict(load_state_dict(args.weights), strict=True)
    model.eval()

    if args.guided or args.layer_activations:
        return export_staged(args, model)
    wrapped = CamContract(args.arch, model, args.vgg_before_last_pool).eval()
    scripted = torch.jit.script(wrapped)
    scripted.save(args.out)

    # Self-check on the saved file.
    m = torch.jit.load(args.out).eval()
    x = torch.randn(2, 3, args.image_size, args.image_size,
                    generator=torch.Generator().manual_seed(args.seed))
    with torch.no_grad():
        ref = model(x)
        out = m.forward(x)
        a = m.features(x)
        split = m.head(a)
    d_split = (out - split).abs().max().item()
    d_orig = (out - ref).abs().max().item()
    print(f"{args.arch}: features {list(a.shape)}, logits {list(out.shape)}")
    print(f"max |forward - head(features)| = {d_split:.3e}; max |forward - original model| = {d_orig:.3e}")
    if d_split > 1e-5 or d_orig > 1e-5:
        print("ERROR: the exported model does not satisfy forward == head(features)", file=sys.stderr)
        return 1
    print(f"saved {args.out}")
    return 0


def export_staged(args, model):
    """The staged export (guided_contract.py): checked before it is written, and again after reloading."""
    try:
        feats, head = guided_contract.torchvision_layers(model, args.vgg_before_last_pool)
        staged = guided_contract.staged_model(feats, head, guided=args.guided,
                                              layer_activations=args.layer_activations)
    except guided_contract.UnsupportedArchitecture as e:
        print(f"ERROR: cannot export {args.arch} with --guided/--layer-activations: {e}", file=sys.stderr)
        return 1
    scripted = torch.jit.script(staged)
    gen = torch.Generator().manual_seed(args.seed)
    x = torch.randn(args.check_batch, 3, args.image_size, args.image_size, generator=gen)
    target = torch.randint(0, args.num_classes, (args.check_batch,), generator=gen)
    if not run_checks(args, scripted, model, x, target):
        print(f"ERROR: not writing {args.out}: the staged model does not match the original", file=sys.stderr)
        return 1
    scripted.save(args.out)
    print("checking the saved file:")
    if not run_checks(args, torch.jit.load(args.out).eval(), model, x, target):
        os.remove(args.out)
        print(f"ERROR: removed {args.out}: the saved model does not match the original", file=sys.stderr)
        return 1
    if args.layer_activations:
        print(f"saved {guided_contract.write_layer_names(staged, model, args.out)} (layer paths -> torchvision names)")
    print(f"saved {args.out}")
    return 0


def run_checks(args, scripted, model, x, target):
    checks = [guided_contract.check_forward(scripted, model, x)]
    if args.guided:
        checks.append(guided_contract.check_guided(scripted, model, x, target))
    if args.layer_activations:
        checks.append(guided_contract.check_layer_activations(scripted, x))
    for ok, report in checks:
        print(("  OK    " if ok else "  FAIL  ") + report)
    return all(ok for ok, _ in checks)


if __name__ == "__main__":
    sys.exit(main())
