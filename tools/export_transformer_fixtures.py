#!/usr/bin/python3
"""Export the transformer super-resolution networks of tools/sr_transformers to ONNX as fixtures.

Default mode writes tiny random-weight variants of SwinIR (classical, lightweight, real-world),
HAT (base- and S-shaped), DAT (base-, light- and 2-shaped) and OmniSR, each at opsets 13 and 17,
with dynamic batch, height and width, to OUT/<case>_opset<N>/ in the layout of ONNX's backend tests:

    <case>/model.onnx
    <case>/test_data_set_0/input_0.pb, output_0.pb    batch 1, a multiple of the window
    <case>/test_data_set_1/input_0.pb, output_0.pb    batch 2, not a multiple of the window

The expected outputs are PyTorch's own float32 eval-mode forward pass. The exports are 0.3-0.8 MB
each (thousands of shape-arithmetic nodes), too much to commit: the test suites run this script
themselves into a cache (io.srengine.testing.TransformerFixtures). --bench OUTDIR writes the
released architectures' full sizes (SwinIR-light x4, DAT-light x4, ...) with one data set each, for
benchmarks; they are too large to commit. --checkpoints also writes each case's state dict as
model.pth (the same weights), for checkpoint readers.

Run with Debian's interpreter (torch 1.13, onnx 1.12):
    /usr/bin/python3 tools/export_transformer_fixtures.py --out DIR [--only CASE ...] [--checkpoints]
"""

import argparse
import collections
import io
import os
import sys

import numpy as np
import onnx
import onnx.numpy_helper
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sr_transformers import DAT, HAT, OmniSR, SwinIR  # noqa: E402
from sr_transformers import dat as dat_mod  # noqa: E402
from sr_transformers import omnisr as omnisr_mod  # noqa: E402

Case = collections.namedtuple("Case", "name build window sizes summary")


def swinir(**kw):
    base = dict(img_size=16, embed_dim=12, depths=(2, 2), num_heads=(2, 2), window_size=4, mlp_ratio=2.0, num_feat=8)
    base.update(kw)
    return lambda: SwinIR(**base)


def hat(**kw):
    base = dict(embed_dim=12, depths=(2,), num_heads=(2,), window_size=4, compress_ratio=3, squeeze_factor=4,
                mlp_ratio=2.0, num_feat=8, upscale=2)
    base.update(kw)
    return lambda: HAT(**base)


def dat(**kw):
    base = dict(embed_dim=16, split_size=(2, 4), depth=(4,), num_heads=(2,), expansion_factor=2.0, num_feat=8,
                upscale=2)
    base.update(kw)
    return lambda: DAT(**base)


# Sizes: data set 0 a multiple of the window (batch 1), data set 1 not (batch 2).
W4 = ((1, 16, 16), (2, 13, 18))
W4_DAT = ((1, 16, 16), (2, 13, 18))

ARCHS = [
    Case("swinir_classical_x2", swinir(upscale=2, upsampler="pixelshuffle"), 4, W4,
         "SwinIR classical: 2 RSTB x 2 blocks, 12 channels, window 4, pixelshuffle x2"),
    Case("swinir_light_x3", swinir(upscale=3, upsampler="pixelshuffledirect", depths=(2,), num_heads=(3,)), 4, W4,
         "SwinIR lightweight: 1 RSTB, 3 heads, pixelshuffledirect x3"),
    Case("swinir_real_x4", swinir(upscale=4, upsampler="nearest+conv", resi_connection="3conv"), 4, W4,
         "SwinIR real-world: 3conv residual, nearest+conv x4"),
    Case("hat_x2", hat(), 4, W4,
         "HAT: 1 RHAG of 2 hybrid attention blocks + overlapping cross-attention (overlap 0.5), x2"),
    Case("hat_s_x3", hat(compress_ratio=4, squeeze_factor=6, upscale=3, depths=(2, 2), num_heads=(2, 2)), 4, W4,
         "HAT-S shape (compress ratio 24 -> 4 here, squeeze 24 -> 6), 2 RHAG, x3"),
    Case("dat_x2", dat(), 4, W4_DAT,
         "DAT: 1 group of 4 blocks (spatial, channel, shifted spatial, channel), split 2x4, x2"),
    Case("dat_light_x4", dat(upsampler="pixelshuffledirect", resi_connection="3conv", split_size=(2, 8), upscale=4),
         8, W4_DAT, "DAT-light shape: pixelshuffledirect, 3conv, rectangular 2x8 windows, x4"),
    Case("dat_2_x3", dat(depth=(2, 4), num_heads=(2, 2), upscale=3), 4, W4_DAT,
         "DAT-2 shape: 2 groups (the second shifts its first block), x3"),
    Case("omnisr_x2", lambda: OmniSR(num_feat=16, window_size=4, up_scale=2, res_num=2), 4, W4,
         "OmniSR: 2 OSAG groups of 1 OSA block, 16 channels, window 4, x2"),
]

OPSETS = (13, 17)

BENCH = [
    Case("swinir_light_x4", lambda: SwinIR(img_size=64, embed_dim=60, depths=(6, 6, 6, 6), num_heads=(6, 6, 6, 6),
                                           window_size=8, mlp_ratio=2.0, upscale=4, upsampler="pixelshuffledirect"),
         8, ((1, 32, 32),), "SwinIR-light x4 (the released lightweight configuration)"),
    Case("dat_light_x4", lambda: DAT(embed_dim=60, split_size=(8, 32), depth=(18,), num_heads=(6,),
                                     expansion_factor=2.0, upscale=4, upsampler="pixelshuffledirect",
                                     resi_connection="3conv"),
         32, ((1, 32, 32),), "DAT-light x4 (the released configuration)"),
]

# Distinct trace sizes: if an export bakes a traced size into the graph, the two exports differ.
TRACE_SIZES = ((1, 16, 16), (2, 13, 22))

# Ops each architecture's export must contain, so another exporter version cannot silently drop
# coverage ("-Op": must be absent).
EXPECTED_OPS = {
    "swinir": {"MatMul", "Softmax", "Erf", "ScatterND", "Where", "Range", "Mod", "Pad"},
    "hat": {"MatMul", "Softmax", "Erf", "GlobalAveragePool", "Sigmoid", "ScatterND"},
    "dat": {"MatMul", "Softmax", "Erf", "ReduceL2", "ScatterND"},
    "omnisr": {"Einsum", "Softmax", "ReduceL2", "MaxPool", "Resize"},
}


def case_seed(name):
    return 31337 + sum(ord(c) * (i + 1) for i, c in enumerate(name))


def randomise(model, gen):
    """Values a kernel cannot ignore: LayerNorm scales and shifts away from 1 and 0, relative
    position biases large enough to move the softmax, BatchNorm statistics per channel, positive
    channel-attention temperatures."""
    with torch.no_grad():
        for name, m in model.named_modules():
            if isinstance(m, nn.LayerNorm) or isinstance(m, omnisr_mod.LayerNorm2d):
                m.weight.copy_(1 + 0.2 * torch.randn(m.weight.shape, generator=gen))
                m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=gen))
            elif isinstance(m, nn.BatchNorm2d):
                n = m.num_features
                m.running_mean.copy_((torch.rand(n, generator=gen) - 0.5) * 0.2)
                m.running_var.copy_(torch.rand(n, generator=gen) * 0.5 + 0.5)
                m.weight.copy_(torch.rand(n, generator=gen) * 0.5 + 0.75)
                m.bias.copy_((torch.rand(n, generator=gen) - 0.5) * 0.2)
            elif isinstance(m, nn.Embedding):
                m.weight.copy_(0.5 * torch.randn(m.weight.shape, generator=gen))
        for name, p in model.named_parameters():
            if name.endswith("relative_position_bias_table"):
                p.copy_(0.5 * torch.randn(p.shape, generator=gen))
            elif name.endswith("temperature"):
                p.copy_(torch.rand(p.shape, generator=gen) + 0.5)


def export_bytes(model, opset, trace_shape):
    n, h, w = trace_shape
    buf = io.BytesIO()
    torch.onnx.export(
        model, torch.rand(n, 3, h, w), buf, opset_version=opset,
        input_names=["input"], output_names=["output"],
        dynamic_axes={"input": {0: "N", 2: "H", 3: "W"}, "output": {0: "N", 2: "H_out", 3: "W_out"}})
    return buf.getvalue()


def family(name):
    return name.split("_")[0]


def export_checked(model, name, opset, bench):
    first = export_bytes(model, opset, TRACE_SIZES[0])
    second = export_bytes(model, opset, TRACE_SIZES[1])
    if first != second:
        raise SystemExit(f"{name}: the export depends on the trace size, so its axes are not dynamic")
    proto = onnx.load_from_string(first)
    onnx.checker.check_model(proto, full_check=True)
    present = {node.op_type for node in proto.graph.node}
    expected = set() if bench else set(EXPECTED_OPS[family(name)])
    if opset >= 17 and not bench:
        expected.add("LayerNormalization")
    missing = sorted(op for op in expected if op not in present)
    if missing:
        raise SystemExit(f"{name}: export lacks {missing}; it has {sorted(present)}")
    return first, proto


def write_case(model, case, opset, out_root, gen, bench, checkpoint):
    name = case.name if bench else f"{case.name}_opset{opset}"
    blob, proto = export_checked(model, name, opset, bench)
    in_name, out_name = proto.graph.input[0].name, proto.graph.output[0].name
    data_sets, shapes = [], []
    for n, h, w in case.sizes:
        x = torch.rand(n, 3, h, w, generator=gen)
        with torch.no_grad():
            y = model(x)
        if not torch.isfinite(y).all():
            raise SystemExit(f"{name}: non-finite output for input {tuple(x.shape)}")
        data_sets.append([onnx.numpy_helper.from_array(x.numpy().astype(np.float32), in_name),
                          onnx.numpy_helper.from_array(y.numpy().astype(np.float32), out_name)])
        shapes.append((tuple(x.shape), tuple(y.shape), float(y.std())))
    case_dir = os.path.join(out_root, name)
    os.makedirs(case_dir, exist_ok=True)
    with open(os.path.join(case_dir, "model.onnx"), "wb") as f:
        f.write(blob)
    if checkpoint:
        torch.save(model.state_dict(), os.path.join(case_dir, "model.pth"))
    for i, (tin, tout) in enumerate(data_sets):
        data_dir = os.path.join(case_dir, f"test_data_set_{i}")
        os.makedirs(data_dir, exist_ok=True)
        for fname, tensor in (("input_0.pb", tin), ("output_0.pb", tout)):
            with open(os.path.join(data_dir, fname), "wb") as f:
                f.write(tensor.SerializeToString())
    return name, proto, shapes


def run(cases, opsets, out_root, bench, only, checkpoint):
    for case in cases:
        if only and case.name not in only:
            continue
        for opset in opsets:
            seed = case_seed(case.name)
            torch.manual_seed(seed)
            gen = torch.Generator().manual_seed(seed)
            model = case.build()
            randomise(model, gen)
            model.eval()
            name, proto, shapes = write_case(model, case, opset, out_root, gen, bench, checkpoint)
            ops = collections.Counter(node.op_type for node in proto.graph.node)
            params = sum(p.numel() for p in model.parameters())
            print(f"{name}: {case.summary}")
            print(f"  opset {opset}, {params} parameters, {len(proto.graph.node)} nodes")
            print("  ops: " + ", ".join(f"{op} x{c}" for op, c in sorted(ops.items())))
            for xs, ys, std in shapes:
                print(f"  {xs} -> {ys}  output std {std:.4f}")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", help="fixture root")
    parser.add_argument("--bench", metavar="OUTDIR", help="write the full-size benchmark models to OUTDIR instead")
    parser.add_argument("--only", nargs="+", metavar="CASE", help="export only these cases")
    parser.add_argument("--checkpoints", action="store_true", help="also write each case's state dict as model.pth")
    parser.add_argument("--opsets", nargs="+", type=int, default=list(OPSETS), help="opsets to export (default 13 17)")
    args = parser.parse_args(argv)
    cases = BENCH if args.bench else ARCHS
    known = {c.name for c in cases}
    unknown = sorted(set(args.only or ()) - known)
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    out = args.bench or args.out
    if not out:
        parser.error("give --out DIR (or --bench DIR)")
    os.makedirs(out, exist_ok=True)
    run(cases, [17] if args.bench else args.opsets, out, bool(args.bench), args.only, args.checkpoints)


if __name__ == "__main__":
    main(sys.argv[1:])
