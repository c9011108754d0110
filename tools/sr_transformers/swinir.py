"""SwinIR (Liang et al., "SwinIR: Image Restoration Using Swin Transformer", ICCVW 2021).

Shallow 3x3 conv -> residual Swin transformer blocks (RSTB: shifted-window attention layers and a
conv, with a residual) -> conv -> reconstruction, for the authors' three SR variants:
'pixelshuffle' (classical), 'pixelshuffledirect' (lightweight), 'nearest+conv' (real-world), and ''
(denoising/JPEG: conv to the image plus a global residual). The input is reflect-padded to a
multiple of the window inside the network and the output cropped back, as in the authors' code."""

import torch
import torch.nn as nn
import torch.nn.functional as F

from . import common


class WindowAttention(nn.Module):
    """Multi-head self-attention inside a window with a learned relative position bias.

    ``own_index`` keeps the relative position index as this module's buffer (SwinIR's
    ``attn.relative_position_index``); HAT keeps one at the network level and passes it in."""

    def __init__(self, dim, window_size, num_heads, qkv_bias=True, own_index=True):
        super().__init__()
        self.num_heads = num_heads
        self.scale = (dim // num_heads) ** -0.5
        ws = window_size
        self.relative_position_bias_table = nn.Parameter(torch.zeros((2 * ws - 1) ** 2, num_heads))
        if own_index:
            self.register_buffer("relative_position_index", common.relative_position_index(ws, ws))
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, mask=None, index=None):
        b_, n, c = x.shape
        qkv = self.qkv(x).reshape(b_, n, 3, self.num_heads, c // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = (q * self.scale) @ k.transpose(-2, -1)
        index = self.relative_position_index if index is None else index
        bias = self.relative_position_bias_table[index.view(-1)].view(n, n, -1).permute(2, 0, 1)
        attn = attn + bias.unsqueeze(0)
        if mask is not None:
            attn = common.add_window_mask(attn, mask, self.num_heads)
        attn = attn.softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(b_, n, c))


class SwinTransformerBlock(nn.Module):
    """LayerNorm -> (shifted) window attention -> residual; LayerNorm -> MLP -> residual."""

    def __init__(self, dim, input_resolution, num_heads, window_size, shift_size, mlp_ratio, qkv_bias):
        super().__init__()
        self.num_heads = num_heads
        self.window_size = window_size
        self.shift_size = shift_size
        if min(input_resolution) <= window_size:
            # The authors' rule: a training size no larger than the window means one unshifted window.
            self.shift_size = 0
            self.window_size = min(input_resolution)
        self.norm1 = nn.LayerNorm(dim)
        self.attn = WindowAttention(dim, self.window_size, num_heads, qkv_bias)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = common.Mlp(dim, int(dim * mlp_ratio))
        # Saved in the released checkpoints (for the training size); the forward pass computes the
        # mask for the actual size instead, which is the same tensor when the sizes agree.
        if self.shift_size > 0:
            ws, s = self.window_size, self.shift_size
            self.register_buffer("attn_mask", common.shift_window_mask(*input_resolution, ws, ws, s, s))
        else:
            self.attn_mask = None

    def forward(self, x, x_size):
        h, w = x_size
        b, _, c = x.shape
        ws, s = self.window_size, self.shift_size
        shortcut = x
        x = self.norm1(x).view(b, h, w, c)
        if s > 0:
            x = torch.roll(x, shifts=(-s, -s), dims=(1, 2))
        windows = self.attn(common.window_partition(x, ws, ws),
                            mask=common.shift_window_mask(h, w, ws, ws, s, s) if s > 0 else None)
        x = common.window_reverse(windows, ws, ws, h, w)
        if s > 0:
            x = torch.roll(x, shifts=(s, s), dims=(1, 2))
        x = shortcut + x.reshape(b, h * w, c)
        return x + self.mlp(self.norm2(x))


class BasicLayer(nn.Module):
    def __init__(self, dim, input_resolution, depth, num_heads, window_size, mlp_ratio, qkv_bias):
        super().__init__()
        self.blocks = nn.ModuleList([
            SwinTransformerBlock(dim, input_resolution, num_heads, window_size,
                                 0 if i % 2 == 0 else window_size // 2, mlp_ratio, qkv_bias)
            for i in range(depth)])

    def forward(self, x, x_size):
        for blk in self.blocks:
            x = blk(x, x_size)
        return x


class RSTB(nn.Module):
    """Residual Swin Transformer Block: transformer layers, a conv on the image form, a residual."""

    def __init__(self, dim, input_resolution, depth, num_heads, window_size, mlp_ratio, qkv_bias,
                 resi_connection):
        super().__init__()
        self.residual_group = BasicLayer(dim, input_resolution, depth, num_heads, window_size, mlp_ratio,
                                         qkv_bias)
        self.conv = common.residual_conv(dim, resi_connection)

    def forward(self, x, x_size):
        y = self.conv(common.image(self.residual_group(x, x_size), *x_size))
        return common.tokens(y) + x


class _PatchEmbedNorm(nn.Module):
    """Holds the optional LayerNorm after patch embedding under SwinIR's key ``patch_embed.norm``."""

    def __init__(self, dim):
        super().__init__()
        self.norm = nn.LayerNorm(dim)


class SwinIR(nn.Module):
    def __init__(self, img_size=64, in_chans=3, embed_dim=96, depths=(6, 6, 6, 6), num_heads=(6, 6, 6, 6),
                 window_size=7, mlp_ratio=4.0, qkv_bias=True, patch_norm=True, upscale=2, img_range=1.0,
                 upsampler="", resi_connection="1conv", num_feat=64):
        super().__init__()
        self.img_range = img_range
        self.upscale = upscale if upsampler else 1
        self.upsampler = upsampler
        self.window_size = window_size
        mean = common.RGB_MEAN if in_chans == 3 else (0.0,) * in_chans
        self.register_buffer("mean", torch.tensor(mean).view(1, in_chans, 1, 1), persistent=False)
        self.conv_first = nn.Conv2d(in_chans, embed_dim, 3, 1, 1)
        self.patch_embed = _PatchEmbedNorm(embed_dim) if patch_norm else None
        resolution = (img_size, img_size)
        self.layers = nn.ModuleList([
            RSTB(embed_dim, resolution, depths[i], num_heads[i], window_size, mlp_ratio, qkv_bias, resi_connection)
            for i in range(len(depths))])
        self.norm = nn.LayerNorm(embed_dim)
        self.conv_after_body = common.residual_conv(embed_dim, resi_connection)
        if upsampler == "pixelshuffle":
            self.conv_before_upsample = nn.Sequential(nn.Conv2d(embed_dim, num_feat, 3, 1, 1), nn.LeakyReLU(inplace=True))
            self.upsample = common.Upsample(upscale, num_feat)
            self.conv_last = nn.Conv2d(num_feat, in_chans, 3, 1, 1)
        elif upsampler == "pixelshuffledirect":
            self.upsample = common.UpsampleOneStep(upscale, embed_dim, in_chans)
        elif upsampler == "nearest+conv":
            if upscale not in (2, 4):
                raise ValueError("nearest+conv upsamples by 2 or 4")
            self.conv_before_upsample = nn.Sequential(nn.Conv2d(embed_dim, num_feat, 3, 1, 1), nn.LeakyReLU(inplace=True))
            self.conv_up1 = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
            if upscale == 4:
                self.conv_up2 = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
            self.conv_hr = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
            self.conv_last = nn.Conv2d(num_feat, in_chans, 3, 1, 1)
            self.lrelu = nn.LeakyReLU(negative_slope=0.2, inplace=True)
        elif upsampler == "":
            self.conv_last = nn.Conv2d(embed_dim, in_chans, 3, 1, 1)
        else:
            raise ValueError(f"unknown upsampler {upsampler!r}")

    def forward_features(self, x):
        x_size = (x.shape[2], x.shape[3])
        x = common.tokens(x)
        if self.patch_embed is not None:
            x = self.patch_embed.norm(x)
        for layer in self.layers:
            x = layer(x, x_size)
        return common.image(self.norm(x), *x_size)

    def forward(self, x):
        h, w = x.shape[2], x.shape[3]
        x = common.pad_to_multiple(x, self.window_size, "reflect")
        x = (x - self.mean) * self.img_range
        if self.upsampler == "pixelshuffle":
            x = self.conv_first(x)
            x = self.conv_after_body(self.forward_features(x)) + x
            x = self.conv_last(self.upsample(self.conv_before_upsample(x)))
        elif self.upsampler == "pixelshuffledirect":
            x = self.conv_first(x)
            x = self.upsample(self.conv_after_body(self.forward_features(x)) + x)
        elif self.upsampler == "nearest+conv":
            x = self.conv_first(x)
            x = self.conv_before_upsample(self.conv_after_body(self.forward_features(x)) + x)
            x = self.lrelu(self.conv_up1(F.interpolate(x, scale_factor=2, mode="nearest")))
            if self.upscale == 4:
                x = self.lrelu(self.conv_up2(F.interpolate(x, scale_factor=2, mode="nearest")))
            x = self.conv_last(self.lrelu(self.conv_hr(x)))
        else:
            first = self.conv_first(x)
            x = x + self.conv_last(self.conv_after_body(self.forward_features(first)) + first)
        x = x / self.img_range + self.mean
        return x[:, :, :h * self.upscale, :w * self.upscale]
