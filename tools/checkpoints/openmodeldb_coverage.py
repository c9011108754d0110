#!/usr/bin/python3
"""How many OpenModelDB models srengine reads from their checkpoints, judged from the database's metadata.

    git clone https://github.com/OpenModelDB/open-model-database
    python3 tools/checkpoints/openmodeldb_coverage.py open-model-database

Counts every model of data/models/*.json by architecture, whether it offers a checkpoint (.pth or
.safetensors), and whether srengine's checkpoint reader builds it, by the rules below, which follow
from what the builders accept (see docs/models.md). The files themselves are not downloaded: a
model counts as built when its architecture, channels and scale are ones srengine builds, so a
checkpoint of an unusual variant inside a supported architecture could still be refused.
"""

import collections
import glob
import json
import os
import sys

# architecture id -> (srengine's name, rule returning None when built or the reason it is not)
BUILT = {
    "esrgan": ("ESRGAN", lambda m: None if m.get("inputChannels", 3) == m.get("outputChannels", 3) in (1, 3)
               else f"{m.get('inputChannels')} to {m.get('outputChannels')} channels"),
    "compact": ("SRVGGNetCompact", lambda m: None),
    "span": ("SPAN", lambda m: None),
    "realplksr": ("RealPLKSR", lambda m: None),
    "rcan": ("RCAN", lambda m: None),
    "edsr": ("EDSR", lambda m: None),
    # Transformers: 3-channel models; SwinIR without an upsampler (scale 1: denoising, JPEG) is refused.
    "swinir": ("SwinIR", lambda m: "no upsampler (scale 1)" if m.get("scale") == 1 else three_channels(m)),
    "hat": ("HAT", lambda m: three_channels(m)),
    "dat": ("DAT", lambda m: three_channels(m)),
    "omnisr": ("OmniSR", lambda m: three_channels(m)),
}


def three_channels(m):
    return None if m.get("inputChannels", 3) == m.get("outputChannels", 3) == 3 \
        else f"{m.get('inputChannels')} to {m.get('outputChannels')} channels"


def main():
    root = sys.argv[1]
    models = [json.load(open(f)) for f in sorted(glob.glob(os.path.join(root, "data", "models", "*.json")))]
    rows = collections.OrderedDict()
    for m in models:
        arch = m["architecture"]
        r = rows.setdefault(arch, collections.Counter())
        r["models"] += 1
        types = {res.get("type") for res in m.get("resources", [])}
        has_ckpt = bool(types & {"pth", "safetensors"})
        r["checkpoint"] += has_ckpt
        if arch in BUILT and has_ckpt:
            why = BUILT[arch][1](m)
            if why is None:
                r["built"] += 1
            else:
                r["refused: " + why] += 1
    total = len(models)
    with_ckpt = sum(r["checkpoint"] for r in rows.values())
    built = sum(r["built"] for r in rows.values())
    print(f"{total} models, {with_ckpt} with a .pth or .safetensors checkpoint; srengine builds {built}"
          f" ({100 * built / total:.1f}% of all, {100 * built / with_ckpt:.1f}% of those with a checkpoint)")
    print()
    print("| architecture | models | with a checkpoint | srengine builds | not built |")
    print("|---|---|---|---|---|")
    for arch, r in sorted(rows.items(), key=lambda kv: -kv[1]["models"]):
        other = ", ".join(f"{k} ({v})" for k, v in r.items() if k.startswith("refused"))
        name = BUILT[arch][0] if arch in BUILT else arch
        print(f"| {name} | {r['models']} | {r['checkpoint']} | {r['built'] if arch in BUILT else '-'} | {other} |")


if __name__ == "__main__":
    main()
