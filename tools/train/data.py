"""Training pairs: photographs in memory, shrunk once per scale, cut into aligned random crops.

Every low-resolution image is made once from the whole photograph (``imresize.shrink_uint8``), so
crops carry no border effects of the degradation; a crop of ``patch`` low-resolution pixels at
(y, x) is paired with the high-resolution crop of ``patch * scale`` pixels at (y * scale, x * scale).
Augmentation: horizontal flip, vertical flip and transposition (together the eight 90-degree
rotations and reflections). Nearly flat crops (sky, out-of-focus background) teach nothing and are
redrawn a few times before being accepted.
"""

import numpy as np
import torch
from PIL import Image

from imresize import shrink_uint8


def load_rgb(path):
    """An 8-bit RGB array of a photograph (gray becomes three equal channels; alpha is dropped)."""
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"), dtype=np.uint8)


class PairSampler:
    """Draws seeded batches of (low, high) float32 NCHW tensors in [0, 1]."""

    def __init__(self, hr_images, scale, patch, seed, flat_std=0.03, redraws=4):
        self.scale, self.patch = scale, patch
        self.hr, self.lr, weights = [], [], []
        for img in hr_images:
            h, w = img.shape[:2]
            h, w = h - h % scale, w - w % scale
            if h // scale < patch or w // scale < patch:
                continue
            self.hr.append(img[:h, :w])
            self.lr.append(shrink_uint8(img[:h, :w], scale))
            weights.append(h * w)
        if not self.hr:
            raise ValueError(f"no training image is large enough for {patch}-pixel crops at x{scale}")
        self.p = np.asarray(weights, dtype=np.float64) / sum(weights)
        self.rng = np.random.default_rng(seed)
        self.flat_std, self.redraws = flat_std, redraws

    def _crop(self):
        s, p = self.scale, self.patch
        for attempt in range(self.redraws + 1):
            i = self.rng.choice(len(self.hr), p=self.p)
            lr = self.lr[i]
            y = int(self.rng.integers(0, lr.shape[0] - p + 1))
            x = int(self.rng.integers(0, lr.shape[1] - p + 1))
            hr = self.hr[i][y * s:(y + p) * s, x * s:(x + p) * s]
            if attempt == self.redraws or hr.std() / 255.0 >= self.flat_std:
                return lr[y:y + p, x:x + p], hr

    def batch(self, size):
        lows, highs = [], []
        for _ in range(size):
            lr, hr = self._crop()
            flips = self.rng.integers(0, 2, size=3)
            if flips[0]:
                lr, hr = lr[:, ::-1], hr[:, ::-1]
            if flips[1]:
                lr, hr = lr[::-1], hr[::-1]
            if flips[2]:
                lr, hr = lr.transpose(1, 0, 2), hr.transpose(1, 0, 2)
            lows.append(np.ascontiguousarray(lr))
            highs.append(np.ascontiguousarray(hr))
        to = lambda a: torch.from_numpy(np.stack(a)).permute(0, 3, 1, 2).float().div_(255.0)
        return to(lows), to(highs)

    def state(self):
        return self.rng.bit_generator.state

    def restore(self, state):
        self.rng.bit_generator.state = state
