"""Staged TorchScript export with guided backpropagation and per-layer activations.

TorchScript has no backward hooks, so the guided ReLU rule (Springenberg et al. 2015:
pass only positive gradients through a ReLU, and only where its input was positive)
cannot be patched into a scripted model at run time.  This module rebuilds a network
as a list of *stages* that TorchScript can walk in reverse:

    Layers    a run of layers without ReLU (conv, batch norm, pooling, linear, ...);
              its backward is plain torch.autograd.grad
    Relu      the guided rule: g_in = clamp(g_out, min=0) * (x > 0)
    Residual  a torchvision BasicBlock or Bottleneck: relu(main(x) + skip(x)), with
              main itself a list of stages and skip a Layers (empty = identity)

and exports, besides forward/features/head (forward == head(features(x))):

    guided_gradient(x, target)  -> [N, 3, H, W]  guided gradient of logits[i, target[i]]
                                   w.r.t. x (target: int64 [N] class indices)
    layer_activations(x)        -> Dict[str, Tensor]: for every layer with parameters,
                                   its module path in this model (so that path + ".weight"
                                   is its weight) -> its output, after the ReLU that
                                   directly follows it if there is one

The weights are the original module objects: nothing is copied or changed.

torch.autograd.grad inside a scripted method is supported by TorchScript in torch 1.13
(the grad_outputs list must be typed List[Optional[Tensor]]).  Stages are called in
reverse through `stage: GuidedStage = self.stages[i]`: TorchScript indexes a ModuleList
with a run-time index only when the result is typed with a module interface.
`with torch.enable_grad()` cannot be scripted in 1.13, so guided_gradient refuses to run
with autograd off instead of switching it on.

check_guided() compares guided_gradient with an eager reference on the original model
that applies the same rule with backward hooks on every nn.ReLU.
"""

import copy
from typing import Dict, List, Optional

import torch
import torch.nn as nn
from torch import Tensor

# Layers whose backward is the ordinary gradient under guided backpropagation.
PLAIN_LAYERS = (nn.Conv2d, nn.BatchNorm2d, nn.Linear, nn.MaxPool2d, nn.AvgPool2d,
                nn.AdaptiveAvgPool2d, nn.Flatten, nn.Dropout, nn.Identity)


class UnsupportedArchitecture(ValueError):
    """The network holds a layer or block the staged export does not know."""


@torch.jit.interface
class GuidedStage(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        pass

    def guided(self, x: Tensor, g: Tensor) -> Tensor:
        pass

    def activations(self, x: Tensor, out: Dict[str, Tensor]) -> Tensor:
        pass


class Layers(nn.Module):
    """A run of layers without ReLU; the guided backward is the plain gradient."""

    names: List[str]
    relu_after: List[bool]
    identity: bool

    def __init__(self, modules: List[nn.Module]):
        super().__init__()
        self.layers = nn.Sequential(*modules)
        # Filled in by name_layers() once the stage sits in its final model.
        self.names = ["" for _ in modules]
        self.relu_after = [False for _ in modules]
        self.identity = len(modules) == 0

    def forward(self, x: Tensor) -> Tensor:
        return self.layers(x)

    @torch.jit.export
    def guided(self, x: Tensor, g: Tensor) -> Tensor:
        if self.identity:
            return g
        xi = x.detach().requires_grad_(True)
        y = self.layers(xi)
        grad_outputs: List[Optional[Tensor]] = [g]
        gx = torch.autograd.grad([y], [xi], grad_outputs)[0]
        assert gx is not None
        return gx

    @torch.jit.export
    def activations(self, x: Tensor, out: Dict[str, Tensor]) -> Tensor:
        i = 0
        for layer in self.layers:
            x = layer(x)
            name = self.names[i]
            if name != "":
                out[name] = torch.relu(x) if self.relu_after[i] else x
            i += 1
        return x


class Relu(nn.Module):
    """ReLU with the guided rule as its backward."""

    def forward(self, x: Tensor) -> Tensor:
        return torch.relu(x)

    @torch.jit.export
    def guided(self, x: Tensor, g: Tensor) -> Tensor:
        return g.clamp(min=0) * (x > 0).to(g.dtype)

    @torch.jit.export
    def activations(self, x: Tensor, out: Dict[str, Tensor]) -> Tensor:
        return torch.relu(x)


class Residual(nn.Module):
    """relu(main(x) + skip(x)) as in torchvision's BasicBlock and Bottleneck."""

    def __init__(self, main: List[nn.Module], skip: Layers):
        super().__init__()
        self.main = nn.ModuleList(main)
        self.n_main: int = len(main)
        self.skip = skip

    def forward(self, x: Tensor) -> Tensor:
        h = x
        for stage in self.main:
            h = stage(h)
        return torch.relu(h + self.skip(x))

    @torch.jit.export
    def guided(self, x: Tensor, g: Tensor) -> Tensor:
        inputs: List[Tensor] = []
        h = x
        for stage in self.main:
            inputs.append(h)
            h = stage(h)
        pre = h + self.skip(x)
        g_sum = g.clamp(min=0) * (pre > 0).to(g.dtype)
        g_main = g_sum
        for j in range(self.n_main):
            i = self.n_main - 1 - j
            back: GuidedStage = self.main[i]
            g_main = back.guided(inputs[i], g_main)
        return g_main + self.skip.guided(x, g_sum)

    @torch.jit.export
    def activations(self, x: Tensor, out: Dict[str, Tensor]) -> Tensor:
        h = x
        for stage in self.main:
            h = stage.activations(h, out)
        return torch.relu(h + self.skip.activations(x, out))


class StagedModel(nn.Module):
    """forward/features/head over a list of stages; features = the first n_features."""

    def __init__(self, stages: List[nn.Module], n_features: int):
        super().__init__()
        self.stages = nn.ModuleList(stages)
        self.n_stages: int = len(stages)
        self.n_features: int = n_features

    def forward(self, x: Tensor) -> Tensor:
        for stage in self.stages:
            x = stage(x)
        return x

    @torch.jit.export
    def features(self, x: Tensor) -> Tensor:
        i = 0
        for stage in self.stages:
            if i < self.n_features:
                x = stage(x)
            i += 1
        return x

    @torch.jit.export
    def head(self, a: Tensor) -> Tensor:
        i = 0
        for stage in self.stages:
            if i >= self.n_features:
                a = stage(a)
            i += 1
        return a


class GuidedGradientMixin:
    @torch.jit.export
    def guided_gradient(self, x: Tensor, target: Tensor) -> Tensor:
        """Guided gradient of logits[i, target[i]] w.r.t. x[i]; samples are independent."""
        if not torch.is_grad_enabled():
            raise RuntimeError("guided_gradient needs autograd on; do not call it under torch.no_grad()")
        inputs: List[Tensor] = []
        h = x.detach()
        for stage in self.stages:
            inputs.append(h)
            h = stage(h)
        g = torch.zeros_like(h).scatter_(1, target.to(torch.long).view(-1, 1), 1.0)
        for j in range(self.n_stages):
            i = self.n_stages - 1 - j
            back: GuidedStage = self.stages[i]
            g = back.guided(inputs[i], g)
        return g


class LayerActivationsMixin:
    @torch.jit.export
    def layer_activations(self, x: Tensor) -> Dict[str, Tensor]:
        """Module path of every layer with parameters -> its output (after a directly following ReLU)."""
        out: Dict[str, Tensor] = {}
        for stage in self.stages:
            x = stage.activations(x, out)
        return out


# --------------------------------------------------------------------------
# Building stages from a network
# --------------------------------------------------------------------------

def _is_block(m, kind):
    try:
        from torchvision.models import resnet
    except ImportError:  # torchvision is optional for the sample model
        return False
    return type(m) is getattr(resnet, kind)


def _residual(block, where):
    if not isinstance(block.relu, nn.ReLU):
        raise UnsupportedArchitecture(f"{where}.relu is a {type(block.relu).__name__}, not a ReLU")
    if _is_block(block, "BasicBlock"):
        main = [Layers([block.conv1, block.bn1]), Relu(), Layers([block.conv2, block.bn2])]
    else:
        main = [Layers([block.conv1, block.bn1]), Relu(), Layers([block.conv2, block.bn2]), Relu(),
                Layers([block.conv3, block.bn3])]
    skip = Layers([] if block.downsample is None else _plain(list(block.downsample), where + ".downsample"))
    _mark_relu_after(main)
    return Residual(main, skip)


def _plain(modules, where):
    for i, m in enumerate(modules):
        if not isinstance(m, PLAIN_LAYERS):
            raise UnsupportedArchitecture(f"{where}[{i}] is a {type(m).__name__}")
    return modules


def _mark_relu_after(stages):
    for i, s in enumerate(stages):
        if isinstance(s, Layers) and len(s.layers) > 0 and i + 1 < len(stages) and isinstance(stages[i + 1], Relu):
            s.relu_after[-1] = True


def to_stages(modules, where):
    """Groups a flat list of layers and residual blocks into stages."""
    stages, run = [], []
    for i, m in enumerate(modules):
        if isinstance(m, nn.ReLU) or _is_block(m, "BasicBlock") or _is_block(m, "Bottleneck"):
            if run:
                stages.append(Layers(run))
                run = []
            stages.append(Relu() if isinstance(m, nn.ReLU) else _residual(m, f"{where}[{i}]"))
        elif isinstance(m, PLAIN_LAYERS):
            run.append(m)
        else:
            raise UnsupportedArchitecture(
                f"{where}[{i}] is a {type(m).__name__}; supported: ReLU, torchvision BasicBlock and "
                f"Bottleneck, and {', '.join(t.__name__ for t in PLAIN_LAYERS)}")
    if run:
        stages.append(Layers(run))
    return stages


def name_layers(model):
    """Records each parameterised layer's module path in its Layers stage (for layer_activations)."""
    for path, m in model.named_modules():
        if isinstance(m, Layers):
            for j, layer in enumerate(m.layers):
                has_params = any(True for _ in layer.parameters(recurse=False))
                m.names[j] = f"{path}.layers.{j}" if has_params else ""


def staged_model(feature_modules, head_modules, guided=True, layer_activations=True):
    """A StagedModel (with the requested exported methods) over the given layers."""
    fs = to_stages(feature_modules, "features")
    hs = to_stages(head_modules, "head")
    stages = fs + hs
    _mark_relu_after(stages)
    mixins = ((GuidedGradientMixin,) if guided else ()) + ((LayerActivationsMixin,) if layer_activations else ())
    cls = type("StagedContract", (StagedModel,) + mixins, {"__module__": __name__})
    model = cls(stages, len(fs))
    name_layers(model)
    return model.eval()


def torchvision_layers(model, vgg_before_last_pool=False):
    """(feature layers, head layers) of a torchvision ResNet or VGG, as in export_torchvision.py."""
    from torchvision.models import ResNet, VGG
    if isinstance(model, ResNet):
        feats = [model.conv1, model.bn1, model.relu, model.maxpool]
        for layer in (model.layer1, model.layer2, model.layer3, model.layer4):
            feats.extend(layer.children())
        return feats, [model.avgpool, nn.Flatten(1), model.fc]
    if isinstance(model, VGG):
        feats = list(model.features.children())
        pre = []
        if vgg_before_last_pool:
            pre = [feats.pop()]
        return feats, pre + [model.avgpool, nn.Flatten(1)] + list(model.classifier.children())
    raise UnsupportedArchitecture(
        f"{type(model).__name__} is neither a torchvision ResNet nor a VGG")


def layer_names(staged, original):
    """[(layer path in the staged model, path of the same module in the original network)] for every
    layer with parameters, in the staged model's order (the layer_stats table reports the former)."""
    by_id = {id(m): name for name, m in original.named_modules()}
    out = []
    for path, m in staged.named_modules():
        if isinstance(m, Layers):
            for j, layer in enumerate(m.layers):
                if any(True for _ in layer.parameters(recurse=False)):
                    out.append((f"{path}.layers.{j}", by_id.get(id(layer), "?")))
    return out


def write_layer_names(staged, original, model_path):
    """Writes <model_path minus .pt>.layers.json: staged layer path -> original module path."""
    import json
    path = (model_path[:-3] if model_path.endswith(".pt") else model_path) + ".layers.json"
    with open(path, "w") as f:
        json.dump(dict(layer_names(staged, original)), f, indent=1)
        f.write("\n")
    return path


# --------------------------------------------------------------------------
# Export-time check against eager backward hooks
# --------------------------------------------------------------------------

def eager_guided_gradient(model, x, target):
    """Guided backpropagation on a copy of the original eager model: a full backward hook on
    every nn.ReLU clamps the gradient it passes on at 0 (ReLU's own backward already zeroes
    it where the input was not positive)."""
    ref = copy.deepcopy(model).eval()
    for m in ref.modules():
        if isinstance(m, nn.ReLU):
            m.inplace = False  # backward hooks cannot see through in-place ReLUs
            m.register_full_backward_hook(lambda mod, grad_in, grad_out: (grad_in[0].clamp(min=0),))
    xr = x.detach().clone().requires_grad_(True)
    logits = ref(xr)
    logits.gather(1, target.view(-1, 1)).sum().backward()
    return xr.grad.detach()


def check_guided(scripted, original, x, target, rtol=1e-5):
    """Max |scripted.guided_gradient - eager hook reference| for the guided gradient and for the
    guided-backprop map (max over channels of |g|), relative to the reference's largest value.
    Returns (ok, report)."""
    ref = eager_guided_gradient(original, x, target)
    got = scripted.guided_gradient(x, target).detach()
    scale = ref.abs().max().item()
    d_grad = (got - ref).abs().max().item()
    d_map = (got.abs().amax(1) - ref.abs().amax(1)).abs().max().item()
    ok = scale > 0 and d_grad <= rtol * scale and d_map <= rtol * scale
    report = (f"guided gradient vs eager backward-hook reference: max |diff| {d_grad:.3e}, "
              f"guided-backprop map max |diff| {d_map:.3e}, max |reference| {scale:.3e} "
              f"(tolerance {rtol:g} x max)")
    return ok, report


def check_forward(scripted, original, x, atol=1e-5):
    with torch.no_grad():
        ref = original(x)
        out = scripted.forward(x)
        split = scripted.head(scripted.features(x))
    d_orig = (out - ref).abs().max().item()
    d_split = (out - split).abs().max().item()
    return d_orig <= atol and d_split <= atol, (
        f"max |forward - original| {d_orig:.3e}, max |forward - head(features)| {d_split:.3e}")


def check_layer_activations(scripted, x):
    with torch.no_grad():
        acts = scripted.layer_activations(x)
    params = {n[: -len(".weight")] for n, _ in scripted.named_parameters() if n.endswith(".weight")}
    missing = sorted(params - set(acts))
    extra = sorted(set(acts) - params)
    return not missing and not extra, (
        f"layer_activations: {len(acts)} layers" + (f"; without activations: {missing}" if missing else "")
        + (f"; not parameterised: {extra}" if extra else ""))
