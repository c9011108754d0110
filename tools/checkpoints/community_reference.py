#!/usr/bin/python3
"""PyTorch's output for a community checkpoint on an image: the reference srengine is checked against.

    /usr/bin/python3 tools/checkpoints/community_reference.py CHECKPOINT IMAGE.png OUT

Loads the checkpoint with torch.load(weights_only=True) (no code runs), takes the state dict from
params_ema / params when wrapped, builds the matching network of archs.py from the tensor shapes
(SRVGGNetCompact, ESRGAN and OmniSR, the architectures of the community files srengine's tests use) and
loads the weights strictly, so every key must fit the PyTorch definition. Writes OUT.bin (float32
little-endian NCHW output, unclipped) and OUT.json ({"arch", "scale", "shape"}).
"""

import json
import os
import re
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import archs  # noqa: E402
from make_checkpoints import OmniSR, read_png, write  # noqa: E402


def state_dict(path):
    obj = torch.load(path, map_location="cpu", weights_only=True)
    for key in ("params_ema", "params", "state_dict", "model"):
        if isinstance(obj, dict) and isinstance(obj.get(key), dict):
            return obj[key]
    return obj


def seq_len(sd, prefix):
    idx = [int(m.group(1)) for k in sd for m in [re.match(re.escape(prefix) + r"\.(\d+)\.", k)] if m]
    return max(idx) + 1


def build(sd):
    if "body.0.weight" in sd and "body.1.weight" in sd:
        n = seq_len(sd, "body")
        nf, in_ch = sd["body.0.weight"].shape[:2]
        scale = int(round((sd[f"body.{n - 1}.weight"].shape[0] / in_ch) ** 0.5))
        return "SRVGGNetCompact", archs.SRVGGNetCompact(in_ch, in_ch, nf, (n - 3) // 2, scale), scale
    if "model.1.sub.0.RDB1.conv1.0.weight" in sd:
        nb = seq_len(sd, "model.1.sub") - 1
        ups = (seq_len(sd, "model") - 5) // 3
        nf, in_ch = sd["model.0.weight"].shape[:2]
        gc = sd["model.1.sub.0.RDB1.conv1.0.weight"].shape[0]
        return "ESRGAN", archs.RRDBNet("old", in_ch, in_ch, nf, nb, gc, ups), 2 ** ups
    if "residual_layer.0.residual_layer.0.layer.0.fn.0.weight" in sd and "up.0.weight" in sd:
        # tools/sr_transformers' OmniSR; the window is stored only with the position bias (else the default 8).
        nf, in_ch = sd["input.weight"].shape[:2]
        up = sd["up.0.weight"].shape[0]
        out_ch = next(c for c in (in_ch, 3, 4, 1) if up % c == 0 and round((up // c) ** 0.5) ** 2 == up // c)
        scale = round((up // out_ch) ** 0.5)
        table = sd.get("residual_layer.0.residual_layer.0.layer.2.fn.rel_pos_bias.weight")
        window = 8 if table is None else round((table.shape[0] ** 0.5 + 1) / 2)
        model = OmniSR(num_in_ch=in_ch, num_out_ch=out_ch, num_feat=nf,
                       block_num=seq_len(sd, "residual_layer.0.residual_layer") - 1, pe=table is not None,
                       window_size=window, res_num=seq_len(sd, "residual_layer"), up_scale=scale,
                       bias="input.bias" in sd)
        return "OmniSR", model, scale
    raise SystemExit("no reference network for these keys: " + ", ".join(list(sd)[:5]))


def main():
    ckpt, image, out = sys.argv[1:4]
    sd = state_dict(ckpt)
    name, model, scale = build(sd)
    model.load_state_dict(sd, strict=True)
    model.eval()
    with torch.no_grad():
        y = model(read_png(image))
    write(out + ".bin", y)
    with open(out + ".json", "w") as f:
        json.dump({"arch": name, "scale": scale, "shape": list(y.shape)}, f)


if __name__ == "__main__":
    main()
