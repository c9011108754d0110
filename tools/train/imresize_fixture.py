"""Writes the fixture that proves training and ``srengine eval`` degrade images the same way.

    /usr/bin/python3 tools/train/imresize_fixture.py

A seeded 53x41 RGB image (gradients, edges and noise) and its 2x, 3x and 4x shrinks by
``imresize.shrink_uint8`` go to the models module's test resources; ImresizeAgreementTest shrinks
the same image with ``io.srengine.image.Resampler`` and requires the same 8-bit values.
"""

import os

import numpy as np
from PIL import Image

from imresize import shrink_uint8

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "models", "src", "test", "resources", "io", "srengine", "models",
                   "trained-fixtures", "imresize")


def source():
    rng = np.random.default_rng(11)
    h, w = 41, 53
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.stack([xx * 5, yy * 6, np.where((xx // 7 + yy // 5) % 2 == 0, 40, 215)], axis=-1).astype(np.float64)
    img += rng.normal(0, 20, img.shape)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def main():
    os.makedirs(OUT, exist_ok=True)
    img = source()
    Image.fromarray(img).save(os.path.join(OUT, "source.png"))
    for s in (2, 3, 4):
        small = shrink_uint8(img, s)
        Image.fromarray(small).save(os.path.join(OUT, f"source-x{s}.png"))
        print(f"x{s}: {small.shape[1]}x{small.shape[0]}")


if __name__ == "__main__":
    main()
