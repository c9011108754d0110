"""Exports a trained run to ONNX for srengine's ``models`` module, with its evaluation numbers.

    /usr/bin/python3 tools/train/export_model.py --run tools/train/runs/srvgg-x4

1. Rebuilds the network from ``RUN/train.json`` and ``RUN/model.pt`` and appends a clamp to
   [0, 1], so the exported model takes and returns RGB in [0, 1] like every bundled model.
2. Exports it (opset 13) with dynamic batch, height and width to ``RUN/<name>.onnx``, checks it
   with the ONNX checker, and writes a round-trip fixture (a seeded random input and PyTorch's
   output, as ONNX TensorProto files) for the models module's tests.
3. Runs ``./srengine eval`` with the new file on the scikit-image photographs at the run's scale
   and stores the mean and per-image Y-PSNR/SSIM, with the training facts, in ``metadata_props``.
4. Copies the model to ``models/src/main/resources/io/srengine/models/<name>.onnx`` and writes its
   card, ``models/cards/<name>.md``.

``--no-eval`` skips step 3 and ``--no-install`` step 4 (the pipeline's tests use both).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import onnx
import torch
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from train import build  # noqa: E402

CARDS = os.path.join(ROOT, "models", "cards")
MODELS = os.path.join(ROOT, "models", "src", "main", "resources", "io", "srengine", "models")
FIXTURES = os.path.join(ROOT, "models", "src", "test", "resources", "io", "srengine", "models", "trained-fixtures")
SKIMAGE = "/usr/lib/python3/dist-packages/skimage/data"
EVAL_PHOTOS = ["astronaut.png", "camera.png", "chelsea.png", "coffee.png", "motorcycle_left.png", "rocket.jpg"]
TITLES = {
    "espcn": "ESPCN (Shi et al. 2016): 5x5/64 and 3x3/32 tanh convolutions, sub-pixel convolution",
    "fsrcnn": "FSRCNN (Dong et al. 2016): d=56, s=12, m=4, PReLU, 9x9 transposed convolution",
    "srvgg": "SRVGGNetCompact (Real-ESRGAN compact): {n} 3x3 convolutions of {w} features with PReLU, "
             "pixel shuffle, nearest-upsampled skip",
}


class Clamped(torch.nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return torch.clamp(self.net(x), 0.0, 1.0)


def model_name(info):
    return f"{info['arch']}-x{info['scale']}"


def export(run, info, out_path):
    """Writes the clamped network of ``run`` to ``out_path``; returns the PyTorch module."""
    net = build(info["arch"], info["scale"], info.get("width"))
    net.load_state_dict(torch.load(os.path.join(run, "model.pt"), map_location="cpu"))
    model = Clamped(net).eval()
    dummy = torch.rand(1, 3, 24, 20)
    torch.onnx.export(model, dummy, out_path, opset_version=13, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "N", 2: "H", 3: "W"},
                                    "output": {0: "N", 2: f"{info['scale']}*H", 3: f"{info['scale']}*W"}},
                      do_constant_folding=True)
    return model


def write_fixture(model, name, directory):
    """A seeded 1x3x13x17 input (odd sizes, so no tile or vector width divides them) and PyTorch's output."""
    g = torch.Generator().manual_seed(7)
    x = torch.rand(1, 3, 13, 17, generator=g)
    with torch.no_grad():
        y = model(x)
    os.makedirs(directory, exist_ok=True)
    for tensor, fname in ((x, "input_0.pb"), (y, "output_0.pb")):
        proto = numpy_helper.from_array(tensor.numpy().astype(np.float32), fname.split("_")[0])
        with open(os.path.join(directory, fname), "wb") as f:
            f.write(proto.SerializeToString())


ROW = re.compile(r"^(\S+(?: of \d+)?)\s+(\d+x\d+)?\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([+-][\d.]+)$")


def evaluate(onnx_path):
    """Runs srengine eval on the scikit-image photographs; returns {image: (psnr_b, ssim_b, psnr_m, ssim_m)}."""
    photos = [os.path.join(SKIMAGE, p) for p in EVAL_PHOTOS]
    proc = subprocess.run([os.path.join(ROOT, "srengine"), "eval", "--model", onnx_path, *photos],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"srengine eval failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    rows = {}
    for line in proc.stdout.splitlines():
        m = ROW.match(line.strip())
        if m:
            rows[m.group(1)] = tuple(float(m.group(i)) for i in (3, 4, 5, 6))
    if len(rows) != len(photos) + 1:
        sys.exit(f"could not read srengine eval's table:\n{proc.stdout}")
    return rows


def macs_per_pixel(m, scale):
    """Multiply-adds per input pixel of the convolutions (transposed ones counted per output pixel)."""
    inits = {t.name: list(t.dims) for t in m.graph.initializer}
    total = 0
    for node in m.graph.node:
        if node.op_type == "Conv":
            o, i, kh, kw = inits[node.input[1]]
            total += o * i * kh * kw
        elif node.op_type == "ConvTranspose":
            i, o, kh, kw = inits[node.input[1]]
            total += o * i * kh * kw  # each input pixel scatters an i x o x kh x kw block
    return total


def write_card(name, info, props, rows, size, m):
    macs = macs_per_pixel(m, info["scale"])
    lines = [
        f"# {name}",
        "",
        f"Bundled in the `models` module as `io/srengine/models/{name}.onnx`; trained by srengine's own "
        "pipeline (`tools/train`, see its README). This card is written by `tools/train/export_model.py`.",
        "",
        "| | |",
        "|---|---|",
        f"| Scale | x{info['scale']} |",
        f"| Architecture | {props['architecture']} |",
        f"| Parameters | {info['parameters']:,} |",
        f"| Compute | about {macs / 1e6:.3f} M multiply-adds per input pixel ({macs * 1e6 / 1e9:.0f} G for a "
        "1000x1000 input) |",
        f"| File | `{name}.onnx`, {size / 1e6:.2f} MB, ONNX opset 13, float32 weights |",
        "| Input | `input`: RGB `[N, 3, H, W]`, values in [0, 1], any batch and size |",
        f"| Output | `output`: RGB `[N, 3, {info['scale']}H, {info['scale']}W]`, values in [0, 1] (clipped) |",
        f"| Training data | {props['training_data']} |",
        f"| Training | {props['training']} |",
        f"| Licence | {props['license']} |",
        "| Export check | srengine's reference backend on the exported file against PyTorch on a 13x17 input: "
        "relative L2 at most 1e-5 (test `TrainedModelsTest`) |",
        "",
        "## Evaluation",
        "",
        f"`srengine eval` (docs/quality.md explains the protocol) on the six scikit-image photographs, "
        f"none of which was used in training; Y-channel PSNR (dB) and SSIM, {info['scale']}-pixel border excluded.",
        "",
        "| image | bicubic PSNR | SSIM | model PSNR | SSIM | gain (dB) |",
        "|---|---|---|---|---|---|",
    ]
    for k, v in rows.items():
        label = f"**{k}**" if k.startswith("mean of") else k
        lines.append(f"| {label} | {v[0]:.2f} | {v[1]:.4f} | {v[2]:.2f} | {v[3]:.4f} | {v[2] - v[0]:+.2f} |")
    lines += [
        "",
        "## Intended use and limitations",
        "",
        "Enlarging clean photographs that were shrunk the usual way (antialiased bicubic). The network "
        "was trained for PSNR with an L1 loss: it restores edges and fine texture that bicubic "
        "interpolation blurs, but it does not invent detail, and it was not trained for noise, JPEG "
        "artefacts or camera blur, which it will keep or sharpen. The training set is 22 photographs "
        "(nature, water, architecture), small by the field's standards; the numbers above are on "
        "six photographs only.",
        "",
    ]
    with open(os.path.join(CARDS, name + ".md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", required=True)
    ap.add_argument("--no-eval", action="store_true")
    ap.add_argument("--no-install", action="store_true")
    ap.add_argument("--fixtures", default=FIXTURES)
    args = ap.parse_args(argv)

    with open(os.path.join(args.run, "train.json"), encoding="utf-8") as f:
        info = json.load(f)
    name = model_name(info)
    path = os.path.join(args.run, name + ".onnx")
    model = export(args.run, info, path)
    write_fixture(model, name, os.path.join(args.fixtures, name))

    m = onnx.load(path)
    n_conv = sum(1 for node in m.graph.node if node.op_type == "Conv")
    title = TITLES[info["arch"]].format(n=n_conv, w=info.get("width") or 48) if info["arch"] in TITLES else info["arch"]
    props = {
        "name": name,
        "description": f"srengine {info['arch'].upper()} x{info['scale']}, trained for PSNR on bicubic-shrunk photographs",
        "scale": str(info["scale"]),
        "input_range": "[0, 1]",
        "output_range": "[0, 1] (clipped)",
        "architecture": title,
        "parameters": str(info["parameters"]),
        "source": "trained by srengine's tools/train (train.py, export_model.py)",
        "license": "weights by the srengine project; training photographs GPL-2+ (mate-backgrounds) and "
                   "LGPL-3 (plasma-workspace-wallpapers), see tools/train/photos.tsv",
        "training_data": f"{len(info['photos'])} photographs from Debian's mate-backgrounds and "
                         "plasma-workspace-wallpapers (tools/train/photos.tsv), shrunk with MATLAB-style "
                         "antialiased bicubic; random crops, flips, 90-degree rotations",
        "training": f"L1 loss, Adam, cosine learning rate from {info['lr']:g}; {info['steps']} steps of "
                    f"{info['batch']} crops of {info['patch']}x{info['patch']} low-resolution pixels, seed "
                    f"{info['seed']}, {info['minutes']} min on {info['device']} with torch {info['torch']}"
                    + (f"; started from the weights of run {info['init_from']}" if info.get("init_from") else ""),
        "steps": str(info["steps"]),
        "date": info["date"],
    }
    if not args.no_eval:
        rows = evaluate(path)
        mean = next(v for k, v in rows.items() if k.startswith("mean of"))
        props["evaluation"] = (f"srengine eval, Y channel, {info['scale']}-pixel border excluded, mean of "
                               f"{len(rows) - 1} scikit-image photographs: PSNR {mean[2]:.2f} dB "
                               f"(bicubic {mean[0]:.2f}, gain {mean[2] - mean[0]:+.2f}), SSIM {mean[3]:.4f} "
                               f"(bicubic {mean[1]:.4f})")
        props["evaluation_per_image"] = "; ".join(
            f"{k}: {v[2]:.2f} dB/{v[3]:.4f} (bicubic {v[0]:.2f}/{v[1]:.4f})" for k, v in rows.items()
            if not k.startswith("mean of"))
        print(f"{name}: {props['evaluation']}")
    del m.metadata_props[:]
    for k, v in props.items():
        m.metadata_props.add(key=k, value=v)
    m.producer_name, m.producer_version = "srengine tools/train (torch.onnx)", torch.__version__
    onnx.checker.check_model(m, full_check=True)
    onnx.save(m, path)
    if not args.no_install:
        shutil.copyfile(path, os.path.join(MODELS, name + ".onnx"))
        print(f"installed {os.path.join(MODELS, name + '.onnx')}")
        if not args.no_eval:
            write_card(name, info, props, rows, os.path.getsize(path), m)


if __name__ == "__main__":
    main()
