"""Building blocks shared by the transformer networks: window partitioning, shift masks, relative
position indices, MLPs and the pixel-shuffle upsamplers."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

# Mean of DIV2K's RGB channels, subtracted by every network here before the first convolution.
RGB_MEAN = (0.4488, 0.4371, 0.4040)


def pad_to_multiple(x, multiple, mode):
    """Pads the bottom and right of an NCHW tensor up to a multiple of ``multiple``; the amounts are
    computed from the traced size, so the export stays dynamic (Mod on int64 in the graph)."""
    h, w = x.shape[2], x.shape[3]
    pad_h = (multiple - h % multiple) % multiple
    pad_w = (multiple - w % multiple) % multiple
    return F.pad(x, (0, pad_w, 0, pad_h), mode)


def window_partition(x, wh, ww):
    """(B, H, W, C) -> (B * H/wh * W/ww, wh * ww, C), windows in row-major order."""
    b, h, w, c = x.shape
    x = x.view(b, h // wh, wh, w // ww, ww, c)
    return x.permute(0, 1, 3, 2, 4, 5).reshape(-1, wh * ww, c)


def window_reverse(windows, wh, ww, h, w):
    """Inverse of :func:`window_partition`: (B * nW, wh * ww, C) -> (B, H, W, C)."""
    c = windows.shape[-1]
    x = windows.reshape(-1, h // wh, w // ww, wh, ww, c)
    return x.permute(0, 1, 3, 2, 4, 5).reshape(-1, h, w, c)


def relative_position_index(wh, ww):
    """For each pair of tokens (i, j) of a wh x ww window, the row of the (2wh-1)(2ww-1) relative
    position bias table that their offset selects (Swin Transformer's indexing)."""
    coords = torch.stack(torch.meshgrid(torch.arange(wh), torch.arange(ww), indexing="ij")).flatten(1)
    rel = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0)
    return (rel[..., 0] + wh - 1) * (2 * ww - 1) + (rel[..., 1] + ww - 1)


def shift_window_mask(h, w, wh, ww, sh, sw):
    """The additive attention mask of shifted windows for an h x w map: (nW, N, N) with 0 where two
    tokens of a window came from the same region before the cyclic shift and -100 elsewhere.

    Built like the authors' code (zeros, region labels by slice assignment, pairwise differences,
    masked_fill), which is what real exports of these networks contain: ConstantOfShape, ScatterND,
    Equal, Not and Where on shapes known only at run time."""
    img = torch.zeros((1, h, w, 1))
    label = 0
    for hs in (slice(0, -wh), slice(-wh, -sh), slice(-sh, None)):
        for ws in (slice(0, -ww), slice(-ww, -sw), slice(-sw, None)):
            img[:, hs, ws, :] = label
            label += 1
    windows = window_partition(img, wh, ww).reshape(-1, wh * ww)
    diff = windows.unsqueeze(1) - windows.unsqueeze(2)
    return diff.masked_fill(diff != 0, -100.0).masked_fill(diff == 0, 0.0)


def add_window_mask(attn, mask, heads):
    """attn (B*nW, heads, N, N) + mask (nW, N, N), broadcast over batch and heads."""
    n = attn.shape[-1]
    nw = mask.shape[0]
    attn = attn.view(-1, nw, heads, n, n) + mask.unsqueeze(1).unsqueeze(0)
    return attn.view(-1, heads, n, n)


class Mlp(nn.Module):
    """Linear -> GELU -> Linear (keys fc1, fc2)."""

    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Upsample(nn.Sequential):
    """Classical SR upsampler: (conv to 4C, pixel shuffle 2) per factor of 2, or conv to 9C and
    pixel shuffle 3."""

    def __init__(self, scale, num_feat):
        layers = []
        if scale & (scale - 1) == 0:
            for _ in range(int(math.log2(scale))):
                layers += [nn.Conv2d(num_feat, 4 * num_feat, 3, 1, 1), nn.PixelShuffle(2)]
        elif scale == 3:
            layers += [nn.Conv2d(num_feat, 9 * num_feat, 3, 1, 1), nn.PixelShuffle(3)]
        else:
            raise ValueError(f"scale {scale} is not supported; use a power of 2 or 3")
        super().__init__(*layers)


class UpsampleOneStep(nn.Sequential):
    """Lightweight SR upsampler: one conv straight to scale^2 * out channels and one pixel shuffle."""

    def __init__(self, scale, num_feat, num_out_ch):
        super().__init__(nn.Conv2d(num_feat, scale * scale * num_out_ch, 3, 1, 1), nn.PixelShuffle(scale))


def residual_conv(dim, kind):
    """The convolution closing a residual group: '1conv' (3x3) or '3conv' (3x3 to dim/4, 1x1,
    3x3 back, LeakyReLU 0.2 between), the second saving parameters in real-world models."""
    if kind == "1conv":
        return nn.Conv2d(dim, dim, 3, 1, 1)
    if kind == "3conv":
        return nn.Sequential(
            nn.Conv2d(dim, dim // 4, 3, 1, 1), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(dim // 4, dim // 4, 1, 1, 0), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(dim // 4, dim, 3, 1, 1))
    raise ValueError(f"unknown resi_connection {kind!r}")


def tokens(x):
    """(B, C, H, W) -> (B, HW, C)."""
    return x.flatten(2).transpose(1, 2)


def image(x, h, w):
    """(B, HW, C) -> (B, C, H, W)."""
    b, _, c = x.shape
    return x.transpose(1, 2).reshape(b, c, h, w)
