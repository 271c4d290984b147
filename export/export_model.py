#!/usr/bin/env python3
"""Export a torchvision model for spark-saliency, split at any layer.

    export_model.py --torchvision NAME [--weights FILE.pth] [--num-classes N] --layer NODE --out m.pt
    export_model.py --torchvision NAME --list-layers
    export_model.py --torchvision VisionTransformer --model-args '{"image_size": 32, ...}' --layer ... --out ...

The model is traced with torch.fx (torchvision.models.feature_extraction's NodePathTracer, the tracer
behind get_graph_node_names / create_feature_extractor), and the graph is cut at NODE into

    features(x) -> the output of NODE                  (the "target layer" of the CAM methods)
    head(a)     -> logits, computed from that output alone
    forward(x)  == head(features(x))

plus patch_grid() for a vision transformer (its features are tokens [N, tokens, C], class token first)
and, with --guided / --layer-activations (ResNet and VGG), guided_gradient(x, target) and
layer_activations(x) from sample-data/guided_contract.py. NODE is a name that --list-layers prints or a
module path (layer3, features.6), which stands for the last node of that module, as in
create_feature_extractor. A node can be a cut only if every path from the input to the logits passes
through it: a node inside a residual block (its skip connection goes around it) is refused, naming the
node that bypasses it.

Before anything is written, the scripted module is checked on random inputs: max |forward - original
model| and max |head(features(x)) - forward(x)| must be at most --tolerance; the saved file is reloaded
and checked again (and removed if it fails). Nothing is downloaded: without --weights the weights are
random (weights=None, seeded).

Exit codes: 0 written, 1 the checks failed, 2 usage error (unknown model, node or weights file; a node
the model cannot be split at).
"""

import argparse
import json
import os
import sys
from typing import Dict

import torch
import torch.fx as fx
import torch.nn as nn
import torchvision
from torchvision.models.feature_extraction import NodePathTracer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "sample-data"))

import guided_contract  # noqa: E402


class UsageError(Exception):
    """A request that cannot be exported: exit code 2 with the message."""


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------

def build(name, num_classes, weights, seed, model_args):
    """The torchvision model NAME (a builder such as resnet50, or a class such as VisionTransformer,
    given MODEL_ARGS), random (seeded) or with a local state_dict, in eval mode."""
    factory = getattr(torchvision.models, name, None) if not name.startswith("_") else None
    is_class = isinstance(factory, type) and issubclass(factory, nn.Module)
    if factory is None or not (is_class or callable(factory)) or (name[0].isupper() and not is_class):
        raise UsageError(f"Cannot export --torchvision {name}: torchvision.models has no model of that name "
                         f"(for example resnet50, mobilenet_v3_small, vit_b_16)")
    torch.manual_seed(seed)
    try:
        if is_class:
            model = factory(num_classes=num_classes, **model_args)
        else:
            model = factory(weights=None, num_classes=num_classes, **model_args)
    except TypeError as e:
        raise UsageError(f"Cannot build --torchvision {name} with --model-args {json.dumps(model_args)}: {e}")
    if weights:
        model.load_state_dict(load_state_dict(weights), strict=True)
    return model.eval()


def load_state_dict(path):
    if not os.path.isfile(path):
        raise UsageError(f"Cannot read --weights {path}: no such file")
    sd = torch.load(path, map_location="cpu")
    if isinstance(sd, dict):
        for key in ("state_dict", "model_state_dict", "model"):
            if key in sd and isinstance(sd[key], dict):
                sd = sd[key]
                break
    if not isinstance(sd, dict):
        raise UsageError(f"Cannot read --weights {path}: expected a state_dict (dict of tensors), got "
                         f"{type(sd).__name__}; save it with torch.save(model.state_dict(), path)")
    return {(k[len("module."):] if k.startswith("module.") else k): v for k, v in sd.items()}


def vit_traceable_forward(self, x):
    """torchvision's VisionTransformer.forward without `n, c, h, w = x.shape` (torch.fx cannot unpack a
    traced shape): the same operations, flatten(2).transpose(1, 2) in place of reshape + permute."""
    x = self.conv_proj(x)
    x = x.flatten(2).transpose(1, 2)
    x = torch.cat([self.class_token.expand(x.shape[0], -1, -1), x], dim=1)
    x = self.encoder(x)
    return self.heads(x[:, 0])


def vit_block_traceable_forward(self, input):
    """torchvision's EncoderBlock.forward with the attention output indexed, not unpacked: torch 1.13's
    fx cannot unpack a traced tuple under Python 3.11. nn.MultiheadAttention stays one (leaf) node."""
    x = self.ln_1(input)
    x = self.self_attention(query=x, key=x, value=x, need_weights=False)[0]
    x = self.dropout(x) + input
    return x + self.mlp(self.ln_2(x))


def traceable(module, forward):
    """MODULE as an instance of a subclass with FORWARD: torch.fx traces type(module).forward."""
    module.__class__ = type("Traceable" + type(module).__name__, (type(module),), {"forward": forward})


def patch_grid_of(model):
    """[rows, cols] of a torchvision VisionTransformer; None for other models."""
    if isinstance(model, torchvision.models.VisionTransformer):
        side = model.image_size // model.patch_size
        return [side, side]
    return None


def trace(model):
    """(GraphModule in eval mode, node -> qualified name) from torchvision's NodePathTracer."""
    if patch_grid_of(model) is not None:
        traceable(model, vit_traceable_forward)
        for block in model.encoder.layers:
            traceable(block, vit_block_traceable_forward)
    tracer = NodePathTracer(leaf_modules=[nn.MultiheadAttention])
    graph = tracer.trace(model)
    names = {node: tracer.node_to_qualname[node] for node in graph.nodes if node in tracer.node_to_qualname}
    return fx.GraphModule(tracer.root, graph), names


def layer_names(names):
    """The node names a --layer may give, in execution order (without the input placeholder)."""
    return [q for n, q in names.items() if n.op != "placeholder" and n.op != "output"]


# --------------------------------------------------------------------------
# Splitting
# --------------------------------------------------------------------------

def resolve(names, layer):
    """The node named LAYER, or the last node of module LAYER."""
    exact = [n for n, q in names.items() if q == layer and n.op not in ("placeholder", "output")]
    if exact:
        return exact[-1]
    inside = [n for n, q in names.items() if q.startswith(layer + ".") and n.op not in ("placeholder", "output")]
    if inside:
        return inside[-1]
    raise UsageError(f"Cannot split at --layer {layer}: no node or module of that name; --list-layers prints "
                     f"the node names")


def ancestors(node):
    seen, stack = set(), [node]
    while stack:
        for arg in stack.pop().all_input_nodes:
            if arg not in seen:
                seen.add(arg)
                stack.append(arg)
    return seen


def depends_on_input(node, placeholder, memo):
    if node not in memo:
        memo[node] = node is placeholder or any(depends_on_input(a, placeholder, memo) for a in node.all_input_nodes)
    return memo[node]


def subgraph(nodes, inputs, result):
    """A graph of NODES (in the given order) whose placeholders are INPUTS {old node: name}, returning
    RESULT."""
    g = fx.Graph()
    env = {old: g.placeholder(name) for old, name in inputs.items()}
    for n in nodes:
        if n not in env:
            env[n] = g.node_copy(n, lambda a: env[a])
    g.output(env[result])
    return g


def split(gm, names, cut, layer):
    """(features GraphModule, head GraphModule) of GM cut at node CUT."""
    order = list(gm.graph.nodes)
    x = next(n for n in order if n.op == "placeholder")
    out = next(n for n in order if n.op == "output")
    logits = out.args[0]
    if not isinstance(logits, fx.Node):
        raise UsageError(f"Cannot split at --layer {layer}: the model does not return one tensor")
    before = ancestors(cut) | {cut}
    # The head: every node the logits need, walking back from them and stopping at the cut.
    head_nodes, stack = set(), [logits]
    while stack:
        n = stack.pop()
        if n is cut or n in head_nodes:
            continue
        head_nodes.add(n)
        stack.extend(n.all_input_nodes)
    if cut not in ancestors(logits) and cut is not logits:
        raise UsageError(f"Cannot split at --layer {layer} (node {names[cut]}): the logits do not depend on it")
    memo = {}
    # A head node computed from the input without passing through the cut means a path around it.
    around = [n for n in head_nodes if depends_on_input(n, x, memo) and cut not in ancestors(n)]
    if around:
        # Name where the path around the cut starts: the last such node that the cut's side then uses.
        joins = [n for n in around if any(u in head_nodes and cut in ancestors(u) for u in n.users)]
        first = max(joins or around, key=order.index)
        raise UsageError(
            f"Cannot split at --layer {layer} (node {names.get(cut, cut.name)}): the rest of the model also "
            f"uses {names.get(first, first.name)}, computed from the input without passing through it (a skip "
            f"connection around it); pick a node every path passes through, such as the "
            f"output of a whole block (--list-layers prints the node names)")
    features = fx.GraphModule(gm, subgraph([n for n in order if n in before and n is not x], {x: "x"}, cut))
    head = fx.GraphModule(gm, subgraph([n for n in order if n in head_nodes], {cut: "a"}, logits))
    return features, head


class SplitModel(nn.Module):
    """forward / features / head (and patch_grid for a ViT) over the two halves."""

    def __init__(self, features_module, head_module, grid):
        super().__init__()
        self.below = features_module
        self.above = head_module
        self.register_buffer("grid", torch.tensor(grid if grid else [0, 0], dtype=torch.int64))

    @torch.jit.export
    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.below(x)

    @torch.jit.export
    def head(self, a: torch.Tensor) -> torch.Tensor:
        return self.above(a)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.above(self.below(x))


class VitSplitModel(SplitModel):
    @torch.jit.export
    def patch_grid(self) -> torch.Tensor:
        return self.grid


class GuidedSplitModel(SplitModel):
    """SplitModel plus the staged twin (same weights) that computes guided_gradient / layer_activations."""

    def __init__(self, features_module, head_module, staged):
        super().__init__(features_module, head_module, None)
        self.staged = staged

    @torch.jit.export
    def guided_gradient(self, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return self.staged.guided_gradient(x, target)


class LayerSplitModel(GuidedSplitModel):
    @torch.jit.export
    def layer_activations(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        return self.staged.layer_activations(x)


# --------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------

def check(scripted, original, x, tolerance, args, target):
    """[(ok, report)]: forward against the original, head(features) against forward, guided parts."""
    with torch.no_grad():
        ref = original(x)
        out = scripted.forward(x)
        a = scripted.features(x)
        split_out = scripted.head(a)
    d_orig = (out - ref).abs().max().item()
    d_split = (split_out - out).abs().max().item()
    shape = "x".join(str(s) for s in a.shape[1:])
    checks = [(d_orig <= tolerance, f"max |forward - original| {d_orig:.3e}"),
              (d_split <= tolerance, f"max |head(features(x)) - forward(x)| {d_split:.3e} "
                                     f"(features {shape}, logits {out.shape[1]})")]
    if a.dim() == 3:
        rows, cols = scripted.patch_grid().tolist()
        checks.append((rows * cols < a.shape[1], f"patch_grid [{rows}, {cols}] inside {a.shape[1]} tokens"))
    elif a.dim() != 4:
        checks.append((False, f"features must be [N, C, h, w] or ViT tokens [N, tokens, C], not {list(a.shape)}"))
    if args.guided:
        checks.append(guided_contract.check_guided(scripted, original, x, target))
    if args.layer_activations:
        checks.append(guided_contract.check_layer_activations(scripted, x))
    return checks


def report(checks):
    for ok, text in checks:
        print(("  OK    " if ok else "  FAIL  ") + text)
    return all(ok for ok, _ in checks)


def export(args):
    try:
        model_args = json.loads(args.model_args)
    except json.JSONDecodeError as e:
        raise UsageError(f"Cannot read --model-args {args.model_args}: {e}")
    if not isinstance(model_args, dict):
        raise UsageError(f"Cannot read --model-args {args.model_args}: expected a JSON object")
    model = build(args.torchvision, args.num_classes, args.weights, args.seed, model_args)
    reference = build(args.torchvision, args.num_classes, None, args.seed, model_args)
    reference.load_state_dict(model.state_dict())
    reference.eval()
    gm, names = trace(model)
    if args.list_layers:
        print("\n".join(layer_names(names)))
        return 0
    if not args.layer or not args.out:
        raise UsageError("Cannot export: --layer and --out are required (or --list-layers)")
    cut = resolve(names, args.layer)
    features, head = split(gm, names, cut, args.layer)
    grid = patch_grid_of(model)
    if args.guided or args.layer_activations:
        if grid is not None:
            raise UsageError(f"Cannot export {args.torchvision} with --guided/--layer-activations: only ResNet and "
                             f"VGG are supported")
        try:
            staged = guided_contract.staged_model(*guided_contract.torchvision_layers(reference),
                                                  guided=args.guided, layer_activations=args.layer_activations)
        except guided_contract.UnsupportedArchitecture as e:
            raise UsageError(f"Cannot export {args.torchvision} with --guided/--layer-activations: {e}")
        cls = LayerSplitModel if args.layer_activations else GuidedSplitModel
        wrapper = cls(features, head, staged)
    else:
        wrapper = (VitSplitModel if grid else SplitModel)(features, head, grid)
    scripted = torch.jit.script(wrapper.eval())
    gen = torch.Generator().manual_seed(args.seed)
    x = torch.randn(args.check_batch, 3, args.image_size, args.image_size, generator=gen)
    target = torch.randint(0, args.num_classes, (args.check_batch,), generator=gen)
    print(f"{args.torchvision} split at {names[cut]} (--layer {args.layer}):")
    if not report(check(scripted, reference, x, args.tolerance, args, target)):
        print(f"ERROR: not writing {args.out}: the split model does not match the original", file=sys.stderr)
        return 1
    scripted.save(args.out)
    print("the saved file:")
    if not report(check(torch.jit.load(args.out).eval(), reference, x, args.tolerance, args, target)):
        os.remove(args.out)
        print(f"ERROR: removed {args.out}: the saved model does not match the original", file=sys.stderr)
        return 1
    if args.layer_activations:
        print(f"saved {guided_contract.write_layer_names(staged, reference, args.out)} (layer paths -> names)")
    print(f"saved {args.out}")
    return 0


def parser():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--torchvision", required=True, metavar="NAME",
                   help="torchvision.models builder: resnet50, mobilenet_v3_small, vit_b_16, ...")
    p.add_argument("--weights", metavar="FILE", help="local state_dict (.pth); default: random weights")
    p.add_argument("--num-classes", type=int, default=1000, help="output classes")
    p.add_argument("--model-args", default="{}", metavar="JSON",
                   help="further keyword arguments of the builder or class, e.g. a small VisionTransformer: "
                        "'{\"image_size\": 32, \"patch_size\": 8, \"num_layers\": 2, \"num_heads\": 2, "
                        "\"hidden_dim\": 16, \"mlp_dim\": 32}'")
    p.add_argument("--layer", metavar="NODE", help="node or module to cut at: the output of features")
    p.add_argument("--out", metavar="FILE", help="output TorchScript file (.pt)")
    p.add_argument("--list-layers", action="store_true", help="print the node names and exit")
    p.add_argument("--image-size", type=int, default=224, help="input size of the export-time checks")
    p.add_argument("--check-batch", type=int, default=2, help="random images in the export-time checks")
    p.add_argument("--tolerance", type=float, default=1e-4,
                   help="largest |difference| of logits the checks accept")
    p.add_argument("--seed", type=int, default=0, help="seed of the random weights and check inputs")
    p.add_argument("--guided", action="store_true", help="add guided_gradient(x, target) (ResNet, VGG)")
    p.add_argument("--layer-activations", action="store_true", help="add layer_activations(x) (ResNet, VGG)")
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    try:
        return export(args)
    except UsageError as e:
        print(f"ERROR: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
