#!/usr/bin/python3
"""Random-weight checkpoints of every architecture srengine reads, with PyTorch's outputs.

    /usr/bin/python3 tools/checkpoints/make_checkpoints.py OUTDIR [--only NAME ...] [--image PNG]

For each network variant in VARIANTS the script draws weights from a fixed seed, saves them as
torch.save's zip format, its legacy format (_use_new_zipfile_serialization=False) and safetensors,
and some variants also as float16, bfloat16 or float64 weights. It runs PyTorch's eval-mode forward
pass (float32, with the stored weights widened as srengine widens them) on a random input in [0, 1]
and writes, per case:

    OUTDIR/<case>.<pth|safetensors>     the checkpoint
    OUTDIR/<variant>.input.bin          float32 little-endian, shape in the manifest
    OUTDIR/<case>.output.bin            PyTorch's output, float32 little-endian
    OUTDIR/manifest.json                one entry per case

With --image, each variant also upscales that PNG (RGB) and writes <variant>.png: the 8-bit
result of clamp(output, 0, 1) rounded, for end-to-end checks of `srengine upscale`. srengine's
tests run this script (Debian's python3-torch); nothing it writes is committed.
"""

import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(1, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import archs  # noqa: E402
import safetensors_io  # noqa: E402
from sr_transformers import OmniSR  # noqa: E402


class Variant:
    def __init__(self, name, arch, build, shape, scale, wrap="plain", dtypes=(), options=None, views=False,
                 formats=("zip", "legacy", "safetensors")):
        self.name, self.arch, self.build, self.shape, self.scale = name, arch, build, shape, scale
        self.wrap, self.dtypes, self.options, self.views = wrap, dtypes, options or {}, views
        self.formats = formats


RGB = (1, 3, 11, 13)
VARIANTS = [
    Variant("esrgan_old_x4", "ESRGAN", lambda: archs.RRDBNet("old", nf=16, nb=2, gc=8, ups=2), RGB, 4,
            dtypes=(("float16", "legacy"), ("bfloat16", "zip"))),
    Variant("esrgan_old_x1", "ESRGAN", lambda: archs.RRDBNet("old", nf=8, nb=1, gc=4, ups=0), RGB, 1),
    Variant("esrgan_old_x8", "ESRGAN", lambda: archs.RRDBNet("old", nf=8, nb=1, gc=4, ups=3), (1, 3, 7, 5), 8,
            wrap="module"),
    Variant("esrgan_old_x16", "ESRGAN", lambda: archs.RRDBNet("old", nf=4, nb=1, gc=4, ups=4), (1, 3, 3, 4), 16,
            formats=("zip",)),
    Variant("esrgan_old_gray_x2", "ESRGAN", lambda: archs.RRDBNet("old", 1, 1, nf=8, nb=1, gc=8, ups=1),
            (1, 1, 9, 10), 2),
    Variant("esrgan_basicsr_x4", "ESRGAN", lambda: archs.RRDBNet("basicsr", nf=16, nb=2, gc=8, ups=2), RGB, 4,
            wrap="params_ema", dtypes=(("float64", "zip"),)),
    Variant("esrgan_basicsr_x2_unshuffle", "ESRGAN",
            lambda: archs.RRDBNet("basicsr", nf=8, nb=1, gc=4, ups=2, unshuffle=2), RGB, 2, wrap="params_ema"),
    Variant("esrgan_basicsr_x1_unshuffle", "ESRGAN",
            lambda: archs.RRDBNet("basicsr", nf=8, nb=1, gc=4, ups=2, unshuffle=4), (1, 3, 13, 10), 1,
            wrap="params"),
    Variant("esrgan_new_x4", "ESRGAN", lambda: archs.RRDBNet("esrgan_new", nf=8, nb=2, gc=8, ups=2), RGB, 4,
            views=True),
    Variant("compact_prelu_x4", "SRVGGNetCompact", lambda: archs.SRVGGNetCompact(nf=16, n_conv=4, scale=4), RGB, 4,
            wrap="params", dtypes=(("float16", "safetensors"),)),
    Variant("compact_prelu_x2", "SRVGGNetCompact", lambda: archs.SRVGGNetCompact(nf=8, n_conv=2, scale=2), RGB, 2,
            wrap="params_ema", views=True),
    Variant("compact_relu_x3", "SRVGGNetCompact",
            lambda: archs.SRVGGNetCompact(nf=8, n_conv=3, scale=3, act="relu"), RGB, 3,
            options={"compact.activation": "relu"}),
    Variant("compact_leakyrelu_x1", "SRVGGNetCompact",
            lambda: archs.SRVGGNetCompact(nf=8, n_conv=2, scale=1, act="leakyrelu"), RGB, 1,
            options={"compact.activation": "leakyrelu"}),
    Variant("span_x4", "SPAN", lambda: archs.SPAN(feat=16, scale=4), RGB, 4, wrap="params_ema",
            dtypes=(("bfloat16", "legacy"),)),
    Variant("span_x2_no_norm", "SPAN", lambda: archs.SPAN(feat=8, scale=2, norm=False), RGB, 2),
    Variant("realplksr_x4", "RealPLKSR", lambda: archs.RealPLKSR(dim=16, n_blocks=2, scale=4, k=7), RGB, 4,
            wrap="params_ema", dtypes=(("float16", "zip"),)),
    Variant("realplksr_layernorm_x2", "RealPLKSR",
            lambda: archs.RealPLKSR(dim=16, n_blocks=2, scale=2, k=5, split=0.5, layer_norm=True), RGB, 2),
    Variant("realplksr_no_ea_x3", "RealPLKSR",
            lambda: archs.RealPLKSR(dim=8, n_blocks=1, scale=3, k=9, use_ea=False), RGB, 3),
    Variant("edsr_x2", "EDSR", lambda: archs.EDSR(nf=16, nb=2, scale=2), RGB, 2, wrap="params"),
    Variant("edsr_x3", "EDSR", lambda: archs.EDSR(nf=8, nb=1, scale=3), RGB, 3, dtypes=(("float16", "legacy"),)),
    # 256 features is where BasicSR's EDSR configurations scale residuals by 0.1 (16 MB: zip only).
    Variant("edsr_large_x2", "EDSR", lambda: archs.EDSR(nf=256, nb=1, scale=2, res_scale=0.1), (1, 3, 6, 5), 2,
            formats=("zip",)),
    Variant("rcan_x2", "RCAN", lambda: archs.RCAN(nf=16, n_groups=2, nb=2, squeeze=4, scale=2), RGB, 2,
            wrap="params_ema"),
    Variant("rcan_x8", "RCAN", lambda: archs.RCAN(nf=16, n_groups=1, nb=1, squeeze=16, scale=8), (1, 3, 5, 4), 8,
            dtypes=(("bfloat16", "safetensors"),)),
    Variant("rcan_original_x4", "RCAN", lambda: archs.RCANOriginal(nf=16, n_groups=2, nb=1, reduction=4, scale=4), RGB,
            4, wrap="params_ema"),
    Variant("rcan_original_unshuffle_x2", "RCAN",
            lambda: archs.RCANOriginal(nf=16, n_groups=1, nb=2, reduction=8, scale=2, unshuffle=True), RGB, 2),
    Variant("rcan_original_nonorm_unshuffle_x1", "RCAN",
            lambda: archs.RCANOriginal(nf=8, n_groups=1, nb=1, reduction=4, scale=1, norm=False, unshuffle=True),
            (1, 3, 10, 13), 1, dtypes=(("float16", "safetensors"),)),
    Variant("dncnn_gray", "DnCNN", lambda: archs.DnCNN(1, 1, nc=16, nb=5), (1, 1, 12, 11), 1),
    Variant("dncnn_color_nobn", "DnCNN", lambda: archs.DnCNN(3, 3, nc=16, nb=4, batch_norm=False), RGB, 1),
    Variant("fdncnn_color", "DnCNN", lambda: archs.DnCNN(4, 3, nc=16, nb=5, flexible=True), RGB, 1,
            wrap="state_dict", dtypes=(("float64", "legacy"), ("float64", "safetensors"))),
    # OmniSR (tools/sr_transformers): an odd window with position bias, and the variant without position
    # bias or biases, whose window is not stored (8, the authors' default, is what readers assume).
    Variant("omnisr_w5_x4", "OmniSR", lambda: OmniSR(num_feat=8, window_size=5, up_scale=4, res_num=1),
            (1, 3, 16, 18), 4, wrap="params", dtypes=(("float16", "safetensors"),)),
    Variant("omnisr_nope_nobias_x3", "OmniSR",
            lambda: OmniSR(num_feat=16, block_num=2, pe=False, bias=False, window_size=8, res_num=1, up_scale=3),
            (1, 3, 11, 13), 3, wrap="params_ema"),
]


def randomise(model, seed):
    """Weights with a scale that keeps activations O(1) through the small test networks, and batch
    norm statistics that are not the identity."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if not p.requires_grad:
                continue  # frozen by the architecture (mean shifts) or recomputed (SPAN's eval_conv)
            if name.endswith("weight") and p.dim() == 4:
                fan_in = p.shape[1] * p.shape[2] * p.shape[3]
                p.copy_(torch.randn(p.shape, generator=g) / fan_in ** 0.5)
            elif p.dim() == 1 and ("norm" in name or "layer_norm" in name) and name.endswith("weight"):
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
        if isinstance(model, archs.SPAN) and model.norm:
            # SPAN scales its input to [0, 255]; trained weights undo that in the first layer, and
            # without that the random network's outputs reach the hundreds and float32 loses digits.
            model.conv_1.sk.weight.mul_(1 / 255)
            model.conv_1.conv[0].weight.mul_(1 / 255)
        for name, b in model.named_buffers():
            if name.endswith("running_mean"):
                b.copy_(0.1 * torch.randn(b.shape, generator=g))
            elif name.endswith("running_var"):
                b.copy_(0.5 + torch.rand(b.shape, generator=g))


def as_views(sd):
    """The same values as views into one shared storage: 4-D weights as permuted (non-contiguous)
    views, the rest at offsets, so the reader's offsets and strides are exercised."""
    total = sum(t.numel() for t in sd.values())
    flat = torch.zeros(total + 7)
    out, at = {}, 7
    for k, t in sd.items():
        n = t.numel()
        if t.dim() == 4:
            block = flat[at:at + n].view(t.shape[1], t.shape[0], t.shape[2], t.shape[3])
            block.copy_(t.permute(1, 0, 2, 3))
            out[k] = block.permute(1, 0, 2, 3)
        else:
            out[k] = flat[at:at + n].view(t.shape)
            out[k].copy_(t)
        at += n
    return out


def wrapped(sd, wrap, seed):
    if wrap == "plain":
        return sd
    if wrap == "module":
        return {"module." + k: v for k, v in sd.items()}
    if wrap == "params_ema":
        # BasicSR keeps both; the EMA weights are the ones to use, so 'params' gets different values.
        g = torch.Generator().manual_seed(seed + 1)
        other = {k: v + torch.randn(v.shape, generator=g).to(v.dtype) if v.is_floating_point() else v
                 for k, v in sd.items()}
        return {"params": other, "params_ema": sd}
    if wrap == "state_dict":
        return {"state_dict": {"module." + k: v for k, v in sd.items()}, "epoch": 3, "optimizer": {"lr": 1e-4}}
    return {wrap: sd}


def write(path, array):
    with open(path, "wb") as f:
        f.write(array.detach().contiguous().float().numpy().astype("<f4").tobytes())


def read_png(path):
    from PIL import Image
    import numpy as np
    img = Image.open(path).convert("RGB")
    return torch.from_numpy(np.asarray(img, dtype=np.float32) / 255.0).permute(2, 0, 1).unsqueeze(0)


def write_png(path, t):
    from PIL import Image
    import numpy as np
    a = (t.clamp(0, 1)[0].permute(1, 2, 0).numpy() * 255.0).round().astype(np.uint8)
    Image.fromarray(a[:, :, 0] if a.shape[2] == 1 else a).save(path)


def check_span_fusion(model):
    """The fused 3x3 conv must equal the trained chain away from the border (where the chain sees
    zero-padded 1x1 outputs and the fused conv zero-padded inputs)."""
    for m in model.modules():
        if isinstance(m, archs.Conv3XC):
            x = torch.rand(1, m.sk.in_channels, 9, 9)
            m.train()
            chain = m(x)
            m.eval()
            fused = m(x)
            err = (chain - fused)[:, :, 1:-1, 1:-1].abs().max().item()
            assert err < 1e-4, f"SPAN fusion differs from the chain by {err}"


def check_conditioning(v, model, seed):
    """A case is only a fair test at 1e-5 if PyTorch's own float32 result is far closer than that to
    the float64 one; the random weights are chosen so that it is."""
    x = torch.rand(v.shape, generator=torch.Generator().manual_seed(seed + 3))
    with torch.no_grad():
        y32 = model(x).double()
        y64 = model.double()(x.double())
    model.float()
    err = ((y32 - y64).norm() / y64.norm()).item()
    assert err < 2e-6, f"{v.name}: float32 differs from float64 by {err:.2e}; the case is ill-conditioned"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("--only", nargs="*", help="variant names")
    ap.add_argument("--image", help="a PNG to upscale with every variant")
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    torch.set_num_threads(1)
    manifest = []
    for vi, v in enumerate(VARIANTS):
        if args.only and v.name not in args.only:
            continue
        seed = 1000 + vi
        torch.manual_seed(seed)
        model = v.build()
        randomise(model, seed)
        if v.arch == "SPAN":
            check_span_fusion(model)
        model.eval()
        check_conditioning(v, model, seed)
        sd = {k: t.detach().clone() for k, t in model.state_dict().items()}
        gen = torch.Generator().manual_seed(seed + 7)
        x = torch.rand(v.shape, generator=gen)
        write(os.path.join(args.outdir, v.name + ".input.bin"), x)
        for dtype, only_format in (("float32", None),) + tuple(v.dtypes):
            tdtype = getattr(torch, dtype)
            stored = {k: t.to(tdtype) if t.is_floating_point() else t for k, t in sd.items()}
            # The reference computes in float32 with the stored values widened, as srengine does.
            model.load_state_dict({k: t.float() if t.is_floating_point() else t for k, t in stored.items()})
            with torch.no_grad():
                y = model(x)
                if args.image and dtype == "float32":
                    img = read_png(args.image)
                    if v.shape[1] == 1:
                        # srengine runs one-channel networks on each colour channel.
                        out = torch.cat([model(img[:, c:c + 1]) for c in range(3)], 1)
                    else:
                        out = model(img)
                    write_png(os.path.join(args.outdir, v.name + ".png"), out)
            formats = [only_format] if only_format else list(v.formats)
            for fmt in formats:
                case = f"{v.name}.{fmt}.{dtype}"
                if any(c["case"] == case for c in manifest):
                    continue
                tensors = as_views(stored) if v.views and fmt != "safetensors" and dtype == "float32" else stored
                if fmt == "safetensors":
                    path = case + ".safetensors"
                    flat = {("module." + k if v.wrap in ("module", "state_dict") else k): t for k, t in stored.items()}
                    safetensors_io.save(flat, os.path.join(args.outdir, path), {"format": "pt", "arch": v.arch})
                else:
                    path = case + (".pth" if fmt == "zip" else ".pt")
                    torch.save(wrapped(tensors, v.wrap, seed), os.path.join(args.outdir, path),
                               _use_new_zipfile_serialization=(fmt == "zip"))
                write(os.path.join(args.outdir, case + ".output.bin"), y)
                manifest.append({"case": case, "variant": v.name, "file": path, "format": fmt, "dtype": dtype,
                                 "arch": v.arch, "scale": v.scale, "input": v.name + ".input.bin",
                                 "input_shape": list(v.shape), "output": case + ".output.bin",
                                 "output_shape": list(y.shape), "options": v.options,
                                 "png": v.name + ".png" if args.image else None})
    with open(os.path.join(args.outdir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"{len(manifest)} cases in {args.outdir}")


if __name__ == "__main__":
    main()
