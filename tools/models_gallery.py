#!/usr/bin/python3
"""Makes the pictures of docs/models.md: one photograph and one drawing, each degraded the ways
people's images are (shrunk, JPEG-compressed, noisy), enlarged x4 by bicubic and by each model family.

    ./srengine models fetch          # the fetched families
    /usr/bin/python3 tools/models_gallery.py [--only drawing-noisy ...]   # docs/models.md shows all six rows

Inputs: a 64x64 crop of models/samples/astronaut.png (public domain) and a drawing the script makes
itself (flat colours, outlines, a gradient, hatching). Each is shrunk by half with bicubic and then
written (a) as is, (b) as JPEG quality 30, (c) with Gaussian noise (sigma 6/255); the models see
these 32x32 images. Writes docs/models/<photo|drawing>-<degradation>.png: a row of x4 results with
a label strip above each, the high-resolution original first.
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile

from PIL import Image, ImageDraw

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "models"
MODELS = [  # name, extra arguments, label
    ("srvgg-x4", [], "srvgg-x4 (default)"),
    ("realesr-animevideov3-x4", [], "animevideov3-x4"),
    ("realcugan-up4x-conservative", [], "realcugan-up4x-cons."),
    ("waifu2x-cunet-noise1-scale2x", ["--scale", "4"], "waifu2x cunet n1 x2x2"),
    ("realesrgan-x4fast", [], "realesrgan-x4fast"),
    ("realesrgan-x4plus", [], "realesrgan-x4plus"),
    ("realesrgan-x4plus-anime", [], "x4plus-anime"),
]


def drawing(size=64):
    big = Image.new("RGB", (size * 4, size * 4), (250, 244, 230))
    d = ImageDraw.Draw(big)
    for y in range(size * 4):  # sky gradient
        d.line([(0, y), (size * 4, y)], fill=(120 + y // 4, 170 + y // 8, 235))
    d.ellipse([40, 30, 150, 140], fill=(255, 214, 120), outline=(60, 40, 30), width=6)
    d.polygon([(20, 250), (128, 120), (240, 250)], fill=(90, 160, 90), outline=(30, 60, 30), width=6)
    for x in range(60, 200, 12):  # hatching
        d.line([(x, 250), (x + 30, 190)], fill=(40, 90, 40), width=3)
    d.rectangle([150, 40, 230, 110], fill=(200, 60, 70), outline=(40, 20, 20), width=5)
    d.line([(150, 40), (230, 110)], fill=(255, 255, 255), width=4)
    return big.resize((size, size), Image.LANCZOS)


def degrade(img, subject, kind, tmp):
    small = img.resize((img.width // 2, img.height // 2), Image.BICUBIC)
    path = tmp / f"{subject}-{kind}.png"
    if kind == "jpeg30":
        small.save(tmp / "j.jpg", quality=30)
        small = Image.open(tmp / "j.jpg").convert("RGB")
    elif kind == "noisy":
        import random
        rnd = random.Random(7)
        px = small.load()
        for y in range(small.height):
            for x in range(small.width):
                px[x, y] = tuple(max(0, min(255, int(round(v + rnd.gauss(0, 6))))) for v in px[x, y])
    small.save(path)
    return path


def label(img, text):
    strip = Image.new("RGB", (img.width, 14), (255, 255, 255))
    ImageDraw.Draw(strip).text((2, 1), text, fill=(0, 0, 0))
    out = Image.new("RGB", (img.width, img.height + 14), (255, 255, 255))
    out.paste(strip, (0, 0))
    out.paste(img, (0, 14))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", help="make these rows only, e.g. drawing-noisy")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    photo = Image.open(ROOT / "models/samples/astronaut.png").convert("RGB").crop((56, 20, 120, 84))
    subjects = {"photo": photo, "drawing": drawing()}
    with tempfile.TemporaryDirectory() as t:
        tmp = pathlib.Path(t)
        for subject, original in subjects.items():
            for kind in ("clean", "jpeg30", "noisy"):
                if args.only and f"{subject}-{kind}" not in args.only:
                    continue
                src = degrade(original, subject, kind, tmp)
                lr = Image.open(src).convert("RGB")
                tiles = [label(original.resize((lr.width * 4, lr.height * 4), Image.NEAREST)
                               if original.width != lr.width * 4 else original, "original"),
                         label(lr.resize((lr.width * 4, lr.height * 4), Image.BICUBIC), "bicubic")]
                for name, extra, text in MODELS:
                    out = tmp / f"{subject}-{kind}-{name}.png"
                    r = subprocess.run([str(ROOT / "srengine"), "upscale", str(src), str(out), "--model", name, "--quiet"]
                                       + extra, capture_output=True, text=True)
                    if r.returncode != 0:
                        sys.exit(f"{name}: {r.stderr}")
                    tiles.append(label(Image.open(out).convert("RGB"), text))
                row = Image.new("RGB", (sum(t.width + 4 for t in tiles), tiles[0].height), (255, 255, 255))
                x = 0
                for tile in tiles:
                    row.paste(tile, (x, 0))
                    x += tile.width + 4
                row.save(OUT / f"{subject}-{kind}.png", optimize=True)
                print(OUT / f"{subject}-{kind}.png", flush=True)


if __name__ == "__main__":
    main()
