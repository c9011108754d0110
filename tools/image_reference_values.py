#!/usr/bin/python3
"""Produces the reference numbers that upscale's ResamplerTest and MetricsTest compare against.

Run with Debian's python3 (numpy, Pillow, scikit-image) from the repository root:

    /usr/bin/python3 tools/image_reference_values.py

It writes the resampling references to RESAMPLE_OUT and prints the few scalar values that the tests
keep in their source.

The test images are defined by the same formulas in the Java tests, so nothing but these numbers is
committed. References are independent implementations:
  * resampling: Pillow's float ("F" mode) resize, whose BICUBIC (a = -0.5) and LANCZOS (3 lobes) use
    the same pixel-centre convention and antialiasing as MATLAB's imresize. Pillow clips the kernel at
    the border where MATLAB mirrors, so only pixels whose taps stay inside the image are compared;
    the mirrored border is checked against imresize_border(), a direct transcription of MATLAB's
    documented rule (symmetric extension, edge pixel repeated).
  * SSIM: skimage.metrics.structural_similarity with gaussian_weights=True, sigma=1.5,
    use_sample_covariance=False, data_range=255 (Wang et al. 2004, as BasicSR computes it).
  * PSNR: numpy, 10*log10(255^2/MSE).
"""
import math

import os

import numpy as np
from PIL import Image
from skimage.metrics import structural_similarity


def texture(w, h, seed):
    """Values in [0, 1]; the Java tests build the same image."""
    y, x = np.mgrid[0:h, 0:w]
    return (((x * 37 + y * 91 + x * y * 13 + seed * 17) % 101) / 100.0).astype(np.float64)


def pil_resize(a, w, h, flt):
    img = Image.fromarray(a.astype(np.float32), mode="F")
    return np.asarray(img.resize((w, h), flt), dtype=np.float64)


def interior(n_in, n_out, support):
    """Output positions whose (antialiased) kernel lies wholly inside the input."""
    scale = n_out / n_in
    width = 2 * support / min(scale, 1.0)
    keep = []
    for j in range(n_out):
        u = (j + 0.5) / scale - 0.5
        if u - width / 2 > 0 and u + width / 2 < n_in - 1:
            keep.append(j)
    return keep


def cubic(x):
    ax = abs(x)
    if ax <= 1:
        return 1.5 * ax ** 3 - 2.5 * ax ** 2 + 1
    if ax <= 2:
        return -0.5 * ax ** 3 + 2.5 * ax ** 2 - 4 * ax + 2
    return 0.0


def imresize_border(v, n_out):
    """1-D MATLAB imresize (bicubic, antialiased) of a short vector, mirroring past the ends."""
    n = len(v)
    scale = n_out / n
    ks = min(scale, 1.0)
    width = 4 / ks
    out = []
    for j in range(n_out):
        u = (j + 0.5) / scale - 0.5
        left = math.floor(u - width / 2)
        taps = [left + t for t in range(math.ceil(width) + 2)]
        w = [ks * cubic((u - i) * ks) for i in taps]
        s = sum(w)
        acc = 0.0
        for i, wi in zip(taps, w):
            m = i % (2 * n)
            m = m if m < n else 2 * n - 1 - m
            acc += wi / s * v[m]
        out.append(acc)
    return out


RESAMPLE_OUT = "upscale/src/test/resources/io/srengine/image/resample-reference.txt"


def fmt(values):
    return ", ".join(f"{v:.9g}" for v in values)


def main():
    cases = [(24, 20, 12, 10), (24, 21, 8, 7), (30, 27, 10, 9), (8, 7, 16, 14), (8, 7, 24, 21), (10, 9, 15, 13),
             (12, 11, 24, 22), (12, 11, 36, 33)]
    lines = ["# Pillow float-mode resize of texture(w, h, 1) (see tools/image_reference_values.py).",
             "# filter w h outW outH / interior columns / interior rows / values at (row, column), row-major"]
    for flt, name, support in [(Image.BICUBIC, "BICUBIC", 2), (Image.LANCZOS, "LANCZOS3", 3)]:
        for (w, h, ow, oh) in cases:
            xs = interior(w, ow, support)
            ys = interior(h, oh, support)
            if not xs or not ys:
                continue
            ref = pil_resize(texture(w, h, 1), ow, oh, flt)
            lines.append(f"{name} {w} {h} {ow} {oh}")
            lines.append(" ".join(map(str, xs)))
            lines.append(" ".join(map(str, ys)))
            lines.append(" ".join(f"{v:.9g}" for v in ref[np.ix_(ys, xs)].ravel()))
    os.makedirs(os.path.dirname(RESAMPLE_OUT), exist_ok=True)
    with open(RESAMPLE_OUT, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {RESAMPLE_OUT}")
    print("// mirrored border, bicubic 1-D [0.1, 0.9, 0.3, 0.7, 0.5] -> 10 and -> 2")
    v = [0.1, 0.9, 0.3, 0.7, 0.5]
    print("{" + fmt(imresize_border(v, 10)) + "}")
    print("{" + fmt(imresize_border(v, 2)) + "}")

    for (w, h, seed_b, noise) in [(32, 24, 2, 0), (40, 33, 1, 1)]:
        a = texture(w, h, 1) * 219 + 16
        if noise:
            b = a + ((np.mgrid[0:h, 0:w][0] * 7 + np.mgrid[0:h, 0:w][1] * 3) % 11 - 5) * 1.5
        else:
            b = texture(w, h, seed_b) * 219 + 16
        for crop in (0, 3):
            ca = a[crop:h - crop, crop:w - crop]
            cb = b[crop:h - crop, crop:w - crop]
            mse = np.mean((ca - cb) ** 2)
            psnr = 10 * math.log10(255 ** 2 / mse)
            ssim = structural_similarity(ca, cb, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                                         data_range=255)
            print(f"// {w}x{h} seed_b={seed_b} noise={noise} crop={crop}: psnr {psnr:.12g} ssim {ssim:.12g}")


if __name__ == "__main__":
    main()
