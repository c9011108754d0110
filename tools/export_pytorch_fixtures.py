#!/usr/bin/python3
"""Export classic super-resolution networks from PyTorch to ONNX as conformance fixtures.

Default mode writes small random-weight models with two input/output data sets each to
testdata/pytorch/<case>/ in the layout of ONNX's own backend tests:

    <case>/model.onnx
    <case>/test_data_set_0/input_0.pb, output_0.pb     batch 1, odd H and W
    <case>/test_data_set_1/input_0.pb, output_0.pb     batch 2, other H and W

The expected outputs are PyTorch's own float32 eval-mode forward pass; PyTorch is the reference.

--bench OUTDIR writes the full-size benchmark models (too large to commit) in the same layout
with one small data set each, so a benchmark can check its output before timing.

Run with Debian's interpreter, which carries torch and onnx:  /usr/bin/python3 tools/export_pytorch_fixtures.py
"""

import argparse
import collections
import io
import math
import os
import sys

import numpy as np
import onnx
import onnx.numpy_helper
import onnx.shape_inference
import torch
import torch.nn as nn

import sr_architectures as sr

FIXTURE_SIZES = ((1, 17, 23), (2, 24, 13))
UNET_SIZES = ((1, 16, 20), (2, 24, 12))
BENCH_SIZES = ((1, 32, 32),)

Case = collections.namedtuple("Case", "name build opset channels sizes keep_batchnorm summary")

FIXTURES = [
    Case("srcnn_x2", lambda: sr.SRCNN(3, 16, 8, scale=2), 11, 3, FIXTURE_SIZES, False,
         "SRCNN 9-1-5 (16/8 features) after an in-graph bicubic x2 Resize"),
    Case("fsrcnn_x2", lambda: sr.FSRCNN(1, d=16, s=8, m=2, scale=2), 13, 1, FIXTURE_SIZES, False,
         "FSRCNN d=16 s=8 m=2 on one channel, per-channel PReLU, 9x9 stride-2 ConvTranspose"),
    Case("espcn_x3_opset9", lambda: sr.ESPCN(3, 16, 8, scale=3), 9, 3, FIXTURE_SIZES, False,
         "ESPCN 16/8 features, PixelShuffle(3) as opset-9 Reshape/Transpose/Reshape"),
    Case("espcn_x3_opset13", lambda: sr.ESPCN(3, 16, 8, scale=3), 13, 3, FIXTURE_SIZES, False,
         "ESPCN 16/8 features, PixelShuffle(3) as DepthToSpace"),
    Case("edsr_x2", lambda: sr.EDSR(n_feats=16, n_blocks=2, res_scale=0.1, scale=2), 13, 3,
         FIXTURE_SIZES, False, "EDSR-baseline shape, 16 features, 2 blocks, residual scale 0.1"),
    Case("rcan_x2", lambda: sr.RCAN(n_feats=16, n_groups=2, n_blocks=2, reduction=4, scale=2), 13, 3,
         FIXTURE_SIZES, False, "RCAN 16 features, 2 groups x 2 channel-attention blocks"),
    Case("rrdbnet_x4", lambda: sr.RRDBNet(nf=16, n_blocks=2, gc=8), 13, 3, FIXTURE_SIZES, False,
         "ESRGAN RRDBNet nf=16 gc=8, 2 RRDBs, nearest x2 upsampling twice"),
    Case("srvgg_x4", lambda: sr.SRVGGNetCompact(num_feat=16, num_conv=4, scale=4), 13, 3,
         FIXTURE_SIZES, False, "Real-ESRGAN SRVGGNetCompact 16 features, 4 body convs"),
    Case("dncnn", lambda: sr.DnCNN(channels=1, features=16, depth=5), 13, 1, FIXTURE_SIZES, True,
         "DnCNN depth 5, 16 features, one channel, BatchNormalization kept in the graph"),
    Case("unet_small", lambda: sr.UNet(channels=3, base=8), 13, 3, UNET_SIZES, False,
         "UNet with two max-pool levels, ConvTranspose 2x2 up, skip Concat"),
]

BENCH = [
    Case("espcn_x3", lambda: sr.ESPCN(3, 64, 32, scale=3), 13, 3, BENCH_SIZES, False,
         "ESPCN x3, 64/32 features"),
    Case("fsrcnn_x2", lambda: sr.FSRCNN(3, d=56, s=12, m=4, scale=2), 13, 3, BENCH_SIZES, False,
         "FSRCNN x2, d=56 s=12 m=4, RGB"),
    Case("srvgg_x4", lambda: sr.SRVGGNetCompact(num_feat=64, num_conv=32, scale=4), 13, 3,
         BENCH_SIZES, False, "SRVGGNetCompact x4, 64 features, 32 body convs"),
    Case("edsr_baseline_x4", lambda: sr.EDSR(n_feats=64, n_blocks=16, res_scale=1.0, scale=4), 13, 3,
         BENCH_SIZES, False, "EDSR-baseline x4, 64 features, 16 blocks"),
    Case("rrdbnet_x4", lambda: sr.RRDBNet(nf=64, n_blocks=23, gc=32), 13, 3, BENCH_SIZES, False,
         "ESRGAN RRDBNet x4, 64 features, 23 RRDBs, growth 32"),
]

# Ops each fixture exists to cover; an exporter that writes the model differently (another torch
# version folding BatchNormalization, opset 9 emitting DepthToSpace) fails loudly instead of
# quietly dropping coverage. "-Op" means the op must be absent.
EXPECTED_OPS = {
    "srcnn_x2": {"Resize"},
    "fsrcnn_x2": {"PRelu", "ConvTranspose"},
    "espcn_x3_opset9": {"Reshape", "Transpose", "-DepthToSpace"},
    "espcn_x3_opset13": {"DepthToSpace"},
    "edsr_x2": {"DepthToSpace", "Mul", "Add"},
    "rcan_x2": {"GlobalAveragePool", "Sigmoid", "Mul"},
    "rrdbnet_x4": {"Concat", "LeakyRelu", "Resize"},
    "srvgg_x4": {"PRelu", "DepthToSpace", "Resize"},
    "dncnn": {"BatchNormalization", "Sub"},
    "unet_small": {"MaxPool", "ConvTranspose", "Concat"},
}

# Distinct trace sizes (multiples of 4 for the UNet): if an export bakes a traced size into the
# graph, the two exports differ.
TRACE_SIZES = ((1, 12, 16), (3, 20, 8))


def case_seed(name):
    """A per-case seed, so one case's weights do not depend on which cases ran before it."""
    return 20240 + sum(ord(c) * (i + 1) for i, c in enumerate(name))


def randomise_extras(model, gen):
    """Give PReLU slopes and BatchNorm statistics per-channel values; the defaults (0.25 for every
    slope, mean 0 / var 1 / weight 1 / bias 0) would let a kernel that ignores them pass."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.PReLU):
                m.weight.copy_(torch.rand(m.weight.shape, generator=gen) * 0.45 + 0.05)
            elif isinstance(m, nn.BatchNorm2d):
                n = m.num_features
                m.running_mean.copy_((torch.rand(n, generator=gen) - 0.5) * 0.2)
                m.running_var.copy_(torch.rand(n, generator=gen) * 0.5 + 0.05)
                m.weight.copy_(torch.rand(n, generator=gen) * 1.0 + 0.5)
                m.bias.copy_((torch.rand(n, generator=gen) - 0.5) * 0.2)


def bench_init(model, gen):
    """He-normal weights so activations keep their scale through depth. Convs inside residual
    blocks are scaled by 0.1 (as ESRGAN initialises its trunk) so 16-23 stacked residual adds stay
    near identity. RRDBNet still grows by about 1.2 per RRDB (x + 0.2 * ~x), so its trunk_conv is
    shrunk by that factor to keep the long skip's two terms comparable and the output O(1)."""
    residual_convs = {id(c) for blk in model.modules()
                      if isinstance(blk, (sr.ResBlock, sr.ResidualDenseBlock, sr.RCAB))
                      for c in blk.modules() if isinstance(c, nn.Conv2d)}
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
                if isinstance(m, sr.SubMeanConv):
                    continue
                fan_in = m.weight.shape[1] * m.weight[0, 0].numel()
                if isinstance(m, nn.ConvTranspose2d):
                    fan_in = m.weight.shape[0] * m.weight[0, 0].numel() // (m.stride[0] * m.stride[1])
                std = math.sqrt(2.0 / fan_in)
                if id(m) in residual_convs:
                    std *= 0.1
                if isinstance(model, sr.RRDBNet) and m is model.trunk_conv:
                    std *= 1.2 ** -len(model.trunk)
                m.weight.copy_(torch.randn(m.weight.shape, generator=gen) * std)
                if m.bias is not None:
                    m.bias.copy_((torch.rand(m.bias.shape, generator=gen) - 0.5) * 0.02)
            elif isinstance(m, nn.PReLU):
                m.weight.copy_(torch.rand(m.weight.shape, generator=gen) * 0.2 + 0.15)


def export_bytes(model, case, trace_shape):
    n, h, w = trace_shape
    dummy = torch.rand(n, case.channels, h, w)
    buf = io.BytesIO()
    torch.onnx.export(
        model, dummy, buf,
        opset_version=case.opset,
        input_names=["input"], output_names=["output"],
        dynamic_axes={"input": {0: "N", 2: "H", 3: "W"}, "output": {0: "N", 2: "H_out", 3: "W_out"}},
        # Constant folding never touches BatchNormalization, but the eval-mode peephole pass fuses
        # Conv+BN; PRESERVE (with the module already in eval mode) skips that pass.
        do_constant_folding=not case.keep_batchnorm,
        training=torch.onnx.TrainingMode.PRESERVE if case.keep_batchnorm else torch.onnx.TrainingMode.EVAL,
    )
    return buf.getvalue()


def export_checked(model, case, bench):
    """Exports twice at different trace sizes and insists on identical graphs, which proves no
    traced batch/height/width survived as a constant; then runs the ONNX checker and, for
    fixtures, checks the ops the case is meant to cover."""
    first = export_bytes(model, case, TRACE_SIZES[0])
    second = export_bytes(model, case, TRACE_SIZES[1])
    if first != second:
        raise SystemExit(f"{case.name}: the export depends on the trace size, so its axes are not dynamic")
    proto = onnx.load_from_string(first)
    onnx.checker.check_model(proto, full_check=True)
    present = {node.op_type for node in proto.graph.node}
    expected = () if bench else EXPECTED_OPS[case.name]
    missing = sorted(op for op in expected if not op.startswith("-") and op not in present)
    unwanted = sorted(op[1:] for op in expected if op.startswith("-") and op[1:] in present)
    if missing or unwanted:
        raise SystemExit(f"{case.name}: export lacks {missing} or has {unwanted}; it has {sorted(present)}")
    return first, proto


def inferred_output_shape(proto, input_shape):
    """ONNX shape inference with the input pinned to a concrete shape; None where it cannot tell."""
    pinned = onnx.ModelProto()
    pinned.CopyFrom(proto)
    dims = pinned.graph.input[0].type.tensor_type.shape.dim
    for d, v in zip(dims, input_shape):
        d.Clear()
        d.dim_value = v
    pinned.graph.output[0].type.tensor_type.ClearField("shape")
    inferred = onnx.shape_inference.infer_shapes(pinned, strict_mode=True, data_prop=True)
    out = inferred.graph.output[0].type.tensor_type
    if not out.HasField("shape"):
        return None
    return tuple(d.dim_value if d.HasField("dim_value") else None for d in out.shape.dim)


def write_case(model, case, out_root, gen, bench):
    """Exports and checks everything first and writes only then, so a failed check leaves no
    half-written case behind."""
    blob, proto = export_checked(model, case, bench)
    in_name, out_name = proto.graph.input[0].name, proto.graph.output[0].name
    data_sets, shapes = [], []
    for n, h, w in case.sizes:
        x = torch.rand(n, case.channels, h, w, generator=gen)
        with torch.no_grad():
            y = model(x)
        if not torch.isfinite(y).all():
            raise SystemExit(f"{case.name}: non-finite output for input {tuple(x.shape)}")
        inferred = inferred_output_shape(proto, tuple(x.shape))
        if inferred is not None and None not in inferred and inferred != tuple(y.shape):
            raise SystemExit(f"{case.name}: ONNX infers output {inferred}, PyTorch gives {tuple(y.shape)}")
        data_sets.append([onnx.numpy_helper.from_array(x.numpy().astype(np.float32), in_name),
                          onnx.numpy_helper.from_array(y.numpy().astype(np.float32), out_name)])
        shapes.append((tuple(x.shape), tuple(y.shape), float(y.std()), inferred))
    case_dir = os.path.join(out_root, case.name)
    os.makedirs(case_dir, exist_ok=True)
    with open(os.path.join(case_dir, "model.onnx"), "wb") as f:
        f.write(blob)
    for i, (tin, tout) in enumerate(data_sets):
        data_dir = os.path.join(case_dir, f"test_data_set_{i}")
        os.makedirs(data_dir, exist_ok=True)
        for fname, tensor in (("input_0.pb", tin), ("output_0.pb", tout)):
            with open(os.path.join(data_dir, fname), "wb") as f:
                f.write(tensor.SerializeToString())
    return proto, shapes


def op_histogram(proto):
    return collections.Counter(node.op_type for node in proto.graph.node)


def run_cases(cases, out_root, bench, only):
    for case in cases:
        if only and case.name not in only:
            continue
        seed = case_seed(case.name)
        torch.manual_seed(seed)
        gen = torch.Generator().manual_seed(seed)
        model = case.build()
        (bench_init if bench else randomise_extras)(model, gen)
        model.eval()
        proto, shapes = write_case(model, case, out_root, gen, bench)
        ops = op_histogram(proto)
        params = sum(p.numel() for p in model.parameters())
        print(f"{case.name}: {case.summary}")
        print(f"  opset {case.opset}, {params} parameters, {len(proto.graph.node)} nodes")
        print("  ops: " + ", ".join(f"{op} x{c}" for op, c in sorted(ops.items())))
        for xs, ys, std, inferred in shapes:
            print(f"  {xs} -> {ys}  output std {std:.4f}  (ONNX shape inference: {inferred})")


def main(argv):
    repo_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(repo_root, "testdata", "pytorch"),
                        help="fixture root (default: testdata/pytorch in this repository)")
    parser.add_argument("--bench", metavar="OUTDIR",
                        help="write the full-size benchmark models to OUTDIR instead of the fixtures")
    parser.add_argument("--only", nargs="+", metavar="CASE", help="export only these cases")
    args = parser.parse_args(argv)
    known = {c.name for c in (BENCH if args.bench else FIXTURES)}
    unknown = sorted(set(args.only or ()) - known)
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    if args.bench:
        os.makedirs(args.bench, exist_ok=True)
        run_cases(BENCH, args.bench, True, args.only)
    else:
        os.makedirs(args.out, exist_ok=True)
        run_cases(FIXTURES, args.out, False, args.only)


if __name__ == "__main__":
    main(sys.argv[1:])
