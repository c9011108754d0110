"""Measures every bundled model with ``srengine eval`` and writes docs/quality.md.

    /usr/bin/python3 tools/train/quality_report.py

For each bundled model (``./srengine models``), runs ``./srengine eval`` on the six scikit-image
photographs at the model's scale; times ``./srengine upscale`` of a 1280x720 photograph with the x4
models; saves side-by-side comparisons for the x4 models on two photographs; and writes the summary,
the per-image tables and the raw facts of the run to docs/quality.md. Numbers are measured, never
copied: rerun this after changing a model.
"""

import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from export_model import EVAL_PHOTOS, SKIMAGE, evaluate  # noqa: E402
from imresize import imresize  # noqa: E402

SRENGINE = os.path.join(ROOT, "srengine")
PICTURES = ["astronaut", "coffee"]


def bundled_models():
    out = subprocess.run([SRENGINE, "models"], capture_output=True, text=True, check=True).stdout
    models = []
    for line in out.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 4 and parts[1].startswith("x"):
            models.append((parts[0], int(parts[1][1:]), parts[2], int(parts[3]), line.endswith("(default)")))
    return models


def timed_upscale(model, image, out_dir):
    out = os.path.join(out_dir, f"{model}.png")
    t = time.time()
    subprocess.run([SRENGINE, "upscale", "--quiet", "--model", model, image, out], check=True)
    return time.time() - t


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "quality.md"))
    ap.add_argument("--pictures", default=os.path.join(ROOT, "docs", "quality"))
    ap.add_argument("--skip-timing", action="store_true")
    args = ap.parse_args(argv)

    models = bundled_models()
    results = {}
    for name, scale, archname, params, default in models:
        print(f"evaluating {name} ...", flush=True)
        results[name] = evaluate(name)

    times = {}
    with tempfile.TemporaryDirectory() as tmp:
        # A 1280x720 photograph: coffee.png (600x400) enlarged with bicubic; content does not change the time.
        coffee = np.asarray(Image.open(os.path.join(SKIMAGE, "coffee.png")).convert("RGB"), dtype=np.float64)
        frame = os.path.join(tmp, "frame-1280x720.png")
        big = imresize(coffee, 720, 1080)
        canvas = np.zeros((720, 1280, 3))
        canvas[:, :1080] = big
        canvas[:, 1080:] = big[:, :200]
        Image.fromarray(np.clip(np.round(canvas), 0, 255).astype(np.uint8)).save(frame)
        if not args.skip_timing:
            for name, scale, *_ in models:
                if scale == 4:
                    timed_upscale(name, frame, tmp)  # first run pays for class loading and JIT warm-up on disk
                    times[name] = min(timed_upscale(name, frame, tmp) for _ in range(2))
                    print(f"{name}: {times[name]:.1f} s for 1280x720 -> 5120x2880", flush=True)
        os.makedirs(args.pictures, exist_ok=True)
        for name, scale, *_ in models:
            if scale != 4:
                continue
            cmp_dir = os.path.join(tmp, "cmp-" + name)
            photos = [os.path.join(SKIMAGE, p + ".png") for p in PICTURES]
            subprocess.run([SRENGINE, "eval", "--model", name, "--save-comparison", cmp_dir, *photos],
                           check=True, capture_output=True)
            for p in PICTURES:
                # Re-encoded losslessly with zlib's best effort: a third smaller in git.
                Image.open(os.path.join(cmp_dir, f"{p}-comparison.png")).save(
                    os.path.join(args.pictures, f"{name}-{p}.png"), optimize=True)

    write(args.out, models, results, times)
    print(f"wrote {args.out}")


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def write(path, models, results, times):
    default = next(m for m in models if m[4])[0]
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    L = []
    L += ["# Quality of the bundled models", "",
          f"Measured {today} by `tools/train/quality_report.py` (rerun it to refresh this page) with "
          f"`srengine eval` on the default backend; {os.cpu_count()} cores of an {cpu_name()}. "
          f"The default model is **{default}**.", ""]
    L += ["## How", "",
          "`srengine eval` follows the benchmark protocol of the super-resolution literature as BasicSR runs it:", "",
          "1. the high-resolution photograph (8-bit RGB) is cropped at its right and bottom edges to a multiple",
          "   of the scale;",
          "2. it is shrunk by the scale with antialiased bicubic, MATLAB `imresize` semantics (Keys cubic,",
          "   a = −0.5, kernel widened by the scale, mirrored borders) and rounded to 8 bits;",
          "3. that low-resolution image is enlarged back by the model and, for comparison, by bicubic",
          "   (`imresize` again); both are rounded to 8 bits;",
          "4. PSNR and SSIM (Gaussian window 11×11, σ = 1.5) are computed on the luma Y of BT.601 in MATLAB's",
          "   `rgb2ycbcr` convention, leaving out `scale` pixels at every border.", "",
          "The resampling and the metrics are `io.srengine.image.Resampler` and `io.srengine.image.Metrics`,",
          "tested against Pillow and scikit-image (`tools/image_reference_values.py`). srengine's own models",
          "were trained on exactly this degradation (`tools/train/imresize.py`, which `ImresizeAgreementTest`",
          "proves equal to `Resampler` on 8-bit values).", "",
          "Photographs: six from Debian's `python3-skimage` (`/usr/lib/python3/dist-packages/skimage/data`):",
          "`astronaut.png` (NASA, public domain), `camera.png` (CC0, Lav Varshney), `chelsea.png` (CC0,",
          "Stefan van der Walt), `coffee.png` (CC0, Rachel Michetti), `motorcycle_left.png` (Middlebury stereo",
          "data set) and `rocket.jpg` (SpaceX, public domain). `camera.png` is gray and is evaluated as RGB with",
          "three equal channels. None of them is among the training photographs of srengine's models",
          "(`tools/train/photos.tsv`).", "",
          "One model by hand:", "",
          "    ./srengine eval --model srvgg-x4 --save-comparison comparisons \\",
          "        /usr/lib/python3/dist-packages/skimage/data/{astronaut,camera,chelsea,coffee,motorcycle_left}.png \\",
          "        /usr/lib/python3/dist-packages/skimage/data/rocket.jpg", ""]
    L += ["## Summary: mean over the six photographs", "",
          "Time: `srengine upscale` of a 1280×720 photograph to 5120×2880 on this machine's CPU, the whole",
          "command (JVM start, PNG decoding and encoding included), best of two after one warm-up run.", "",
          "| model | origin | scale | parameters | bicubic PSNR | bicubic SSIM | model PSNR | model SSIM | gain (dB) | 1280×720 x4 |",
          "|---|---|---|---|---|---|---|---|---|---|"]
    for scale in (2, 3, 4):
        for name, s, arch, params, is_default in models:
            if s != scale:
                continue
            mean = next(v for k, v in results[name].items() if k.startswith("mean of"))
            origin = "UpscalerJS" if name.startswith("esrgan") else "srengine"
            t = f"{times[name]:.1f} s" if name in times else ""
            label = f"**{name}** (default)" if is_default else name
            L.append(f"| {label} | {origin} | {scale} | {params:,} | {mean[0]:.2f} | {mean[1]:.4f} | {mean[2]:.2f} | "
                     f"{mean[3]:.4f} | {mean[2] - mean[0]:+.2f} | {t} |")
    L += ["", "@ANALYSIS@", ""]
    L += ["## Comparison pictures", "",
          "Each picture: the low-resolution input enlarged by pixel repetition, bicubic, the model, the original;",
          "the crop is where bicubic errs most (the same crop for every model of a scale).", ""]
    for name, scale, *_ in models:
        if scale == 4:
            for p in PICTURES:
                L.append(f"![{name} on {p}](quality/{name}-{p}.png)")
            L.append("")
    L += ["## Per image", ""]
    for name, scale, *_ in models:
        L += [f"{name} ({scale}-pixel border excluded)", "",
              "| image | bicubic PSNR | SSIM | model PSNR | SSIM | gain |", "|---|---|---|---|---|---|"]
        for k, v in results[name].items():
            L.append(f"| {k} | {v[0]:.2f} | {v[1]:.4f} | {v[2]:.2f} | {v[3]:.4f} | {v[2] - v[0]:+.2f} |")
        L.append("")
    analysis = ""
    options = ""
    if os.path.exists(path):
        # Keep the hand-written analysis and the quality-options section between their markers across reruns.
        old = open(path, encoding="utf-8").read()
        m = re.search(r"<!-- analysis -->\n(.*?)<!-- /analysis -->", old, re.S)
        if m:
            analysis = m.group(1)
        m = re.search(r"<!-- options -->\n(.*?)<!-- /options -->", old, re.S)
        if m:
            options = "<!-- options -->\n" + m.group(1) + "<!-- /options -->\n"
    text = "\n".join(L).replace("@ANALYSIS@", "<!-- analysis -->\n" + analysis + "<!-- /analysis -->") + options
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
