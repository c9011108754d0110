"""Antialiased bicubic shrinking with MATLAB ``imresize`` semantics, the degradation of training.

This is the same resampling that ``srengine eval`` applies (``io.srengine.image.Resampler``):
Keys' cubic with a = -0.5, the kernel widened by the shrink factor so that it low-passes, output
pixel centres mapped with MATLAB's half-pixel convention and mirrored (symmetric) borders. Height
is resized before width; the result is rounded to 8 bits by the callers that need 8-bit images.
``test_train.py`` checks it against the Java implementation through a committed fixture.
"""

import math

import numpy as np


def cubic(x):
    """Keys' cubic convolution kernel with a = -0.5 (MATLAB's ``cubic``)."""
    ax = np.abs(x)
    ax2, ax3 = ax * ax, ax * ax * ax
    return ((1.5 * ax3 - 2.5 * ax2 + 1.0) * (ax <= 1)
            + (-0.5 * ax3 + 2.5 * ax2 - 4.0 * ax + 2.0) * ((ax > 1) & (ax <= 2)))


def weight_matrix(in_len, out_len):
    """The (out_len x in_len) matrix that resamples one axis from in_len to out_len samples."""
    scale = out_len / in_len
    antialias = scale < 1
    width = 4.0 / scale if antialias else 4.0
    x = np.arange(1, out_len + 1, dtype=np.float64)
    u = x / scale + 0.5 * (1.0 - 1.0 / scale)
    left = np.floor(u - width / 2.0)
    taps = int(math.ceil(width)) + 2
    idx = left[:, None] + np.arange(taps)[None, :]
    dist = u[:, None] - idx
    w = scale * cubic(dist * scale) if antialias else cubic(dist)
    w /= w.sum(axis=1, keepdims=True)
    # 1-based sample positions outside [1, in_len] are mirrored back: 0 -> 1, -1 -> 2, in_len+1 -> in_len.
    period = 2 * in_len
    j = np.mod(idx - 1, period)
    j = np.where(j >= in_len, period - 1 - j, j).astype(np.int64)
    m = np.zeros((out_len, in_len), dtype=np.float64)
    np.add.at(m, (np.repeat(np.arange(out_len), taps), j.ravel()), w.ravel())
    return m


def imresize(img, out_h, out_w):
    """Resizes an H x W x C (or H x W) float image to out_h x out_w; returns float64."""
    img = np.asarray(img, dtype=np.float64)
    squeeze = img.ndim == 2
    if squeeze:
        img = img[:, :, None]
    h, w = img.shape[:2]
    out = img
    # Dense per-axis matrices through BLAS: a few hundred times faster than gathering taps in Python.
    if out_h != h:
        out = np.tensordot(weight_matrix(h, out_h), out, axes=(1, 0))
    if out_w != w:
        out = np.tensordot(out, weight_matrix(w, out_w), axes=(1, 1)).transpose(0, 2, 1)
    return out[:, :, 0] if squeeze else out


def shrink_uint8(img, factor):
    """Crops an 8-bit image to a multiple of ``factor`` (right and bottom) and shrinks it by that
    integer factor, rounded to 8 bits: the low-resolution half of a training pair."""
    h, w = img.shape[:2]
    h, w = h - h % factor, w - w % factor
    small = imresize(img[:h, :w].astype(np.float64), h // factor, w // factor)
    return np.clip(np.round(small), 0, 255).astype(np.uint8)
