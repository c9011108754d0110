"""Unpacks the training photographs from Debian packages and writes them as 8-bit RGB PNGs.

    /usr/bin/python3 tools/train/prepare_data.py --out tools/train/.data

fetches the packages named in ``photos.tsv`` with ``apt-get download`` (no root needed), unpacks
them with ``dpkg -x`` and keeps only the listed photographs. Each one is shrunk by the smallest
integer factor that brings its longer side to at most ``--max-side`` pixels (antialiased bicubic,
the training degradation's own resampler): wallpaper JPEGs are soft and blocky at full size, and
one shrink makes their pixels as sharp as those of the evaluation photographs.
"""

import argparse
import csv
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import load_rgb  # noqa: E402
from imresize import shrink_uint8  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def read_list(path):
    with open(path, encoding="utf-8") as f:
        rows = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(rows, delimiter="\t"))


def photo_name(row):
    parts = row["file"].split("/")
    # Plasma wallpapers are <Name>/contents/images/<size>.jpg; MATE ones are plain file names.
    base = parts[3] if parts[2] == "wallpapers" else os.path.splitext(parts[-1])[0]
    return base.lower()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(HERE, ".data"), help="output directory (hr/ is made in it)")
    ap.add_argument("--list", default=os.path.join(HERE, "photos.tsv"))
    ap.add_argument("--max-side", type=int, default=1600)
    ap.add_argument("--debs", help="directory holding the .deb files already (skips apt-get download)")
    args = ap.parse_args()

    rows = read_list(args.list)
    hr_dir = os.path.join(args.out, "hr")
    os.makedirs(hr_dir, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        debs = args.debs or os.path.join(tmp, "debs")
        if not args.debs:
            os.makedirs(debs)
            packages = sorted({r["package"] for r in rows})
            subprocess.run(["apt-get", "download", *packages], cwd=debs, check=True)
        root = os.path.join(tmp, "root")
        for deb in sorted(os.listdir(debs)):
            if deb.endswith(".deb"):
                subprocess.run(["dpkg", "-x", os.path.join(debs, deb), root], check=True)
        for row in rows:
            src = os.path.join(root, row["file"])
            if not os.path.exists(src):
                sys.exit(f"{row['file']} is not in package {row['package']} (has the package changed?)")
            img = load_rgb(src)
            factor = max(1, math.ceil(max(img.shape[:2]) / args.max_side))
            if factor > 1:
                img = shrink_uint8(img, factor)
            dst = os.path.join(hr_dir, photo_name(row) + ".png")
            Image.fromarray(img).save(dst)
            print(f"{dst}: {img.shape[1]}x{img.shape[0]} (shrunk {factor}x from {row['file']})")


if __name__ == "__main__":
    main()
