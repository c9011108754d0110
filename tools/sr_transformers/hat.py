"""HAT (Chen et al., "Activating More Pixels in Image Super-Resolution Transformer", CVPR 2023).

SwinIR's structure with two additions: every (shifted) window attention block runs a channel
attention conv branch in parallel (CAB, scaled by conv_scale), and each residual group ends with
an overlapping cross-attention block (OCAB) whose keys and values come from windows enlarged by
overlap_ratio (nn.Unfold). Classical 'pixelshuffle' reconstruction; the input is reflect-padded to
a window multiple and the output cropped back, as the authors' test code does."""

import torch
import torch.nn as nn

from . import common
from .swinir import WindowAttention


class ChannelAttention(nn.Module):
    def __init__(self, num_feat, squeeze_factor):
        super().__init__()
        self.attention = nn.Sequential(
            nn.AdaptiveAvgPool2d(1), nn.Conv2d(num_feat, num_feat // squeeze_factor, 1), nn.ReLU(inplace=True),
            nn.Conv2d(num_feat // squeeze_factor, num_feat, 1), nn.Sigmoid())

    def forward(self, x):
        return x * self.attention(x)


class CAB(nn.Module):
    def __init__(self, num_feat, compress_ratio, squeeze_factor):
        super().__init__()
        self.cab = nn.Sequential(
            nn.Conv2d(num_feat, num_feat // compress_ratio, 3, 1, 1), nn.GELU(),
            nn.Conv2d(num_feat // compress_ratio, num_feat, 3, 1, 1), ChannelAttention(num_feat, squeeze_factor))

    def forward(self, x):
        return self.cab(x)


class HAB(nn.Module):
    """Hybrid attention block: (shifted) window attention + scaled CAB, then the MLP."""

    def __init__(self, dim, num_heads, window_size, shift_size, compress_ratio, squeeze_factor, conv_scale,
                 mlp_ratio, qkv_bias):
        super().__init__()
        self.window_size = window_size
        self.shift_size = shift_size
        self.conv_scale = conv_scale
        self.norm1 = nn.LayerNorm(dim)
        self.attn = WindowAttention(dim, window_size, num_heads, qkv_bias, own_index=False)
        self.conv_block = CAB(dim, compress_ratio, squeeze_factor)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = common.Mlp(dim, int(dim * mlp_ratio))

    def forward(self, x, x_size, rpi, mask):
        h, w = x_size
        b, _, c = x.shape
        ws, s = self.window_size, self.shift_size
        shortcut = x
        x = self.norm1(x).view(b, h, w, c)
        conv_x = self.conv_block(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1).reshape(b, h * w, c)
        if s > 0:
            x = torch.roll(x, shifts=(-s, -s), dims=(1, 2))
        windows = self.attn(common.window_partition(x, ws, ws), mask=mask if s > 0 else None, index=rpi)
        x = common.window_reverse(windows, ws, ws, h, w)
        if s > 0:
            x = torch.roll(x, shifts=(s, s), dims=(1, 2))
        x = shortcut + x.reshape(b, h * w, c) + conv_x * self.conv_scale
        return x + self.mlp(self.norm2(x))


class OCAB(nn.Module):
    """Overlapping cross-attention: queries from ws x ws windows, keys and values from the
    overlapping (ws + ws*overlap_ratio)^2 windows around them."""

    def __init__(self, dim, window_size, overlap_ratio, num_heads, qkv_bias, mlp_ratio):
        super().__init__()
        self.dim = dim
        self.window_size = window_size
        self.num_heads = num_heads
        self.scale = (dim // num_heads) ** -0.5
        self.overlap_win_size = int(window_size * overlap_ratio) + window_size
        ows = self.overlap_win_size
        self.norm1 = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.unfold = nn.Unfold(kernel_size=(ows, ows), stride=window_size, padding=(ows - window_size) // 2)
        self.relative_position_bias_table = nn.Parameter(torch.zeros((window_size + ows - 1) ** 2, num_heads))
        self.proj = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = common.Mlp(dim, int(dim * mlp_ratio))

    def forward(self, x, x_size, rpi):
        h, w = x_size
        b, _, c = x.shape
        ws, ows, heads = self.window_size, self.overlap_win_size, self.num_heads
        shortcut = x
        x = self.norm1(x).view(b, h, w, c)
        qkv = self.qkv(x).reshape(b, h, w, 3, c).permute(3, 0, 4, 1, 2)  # 3, b, c, h, w
        q = common.window_partition(qkv[0].permute(0, 2, 3, 1), ws, ws)  # b*nw, ws*ws, c
        kv = self.unfold(torch.cat((qkv[1], qkv[2]), dim=1))  # b, 2*c*ows*ows, nw
        kv = kv.view(b, 2, c, ows, ows, -1).permute(1, 0, 5, 3, 4, 2).reshape(2, -1, ows * ows, c)
        k, v = kv[0], kv[1]
        d = c // heads
        q = q.reshape(-1, ws * ws, heads, d).permute(0, 2, 1, 3)
        k = k.reshape(-1, ows * ows, heads, d).permute(0, 2, 1, 3)
        v = v.reshape(-1, ows * ows, heads, d).permute(0, 2, 1, 3)
        attn = (q * self.scale) @ k.transpose(-2, -1)
        bias = self.relative_position_bias_table[rpi.view(-1)].view(ws * ws, ows * ows, -1).permute(2, 0, 1)
        attn = (attn + bias.unsqueeze(0)).softmax(dim=-1)
        out = (attn @ v).transpose(1, 2).reshape(-1, ws * ws, c)
        x = common.window_reverse(out, ws, ws, h, w).reshape(b, h * w, c)
        x = self.proj(x) + shortcut
        return x + self.mlp(self.norm2(x))


class AttenBlocks(nn.Module):
    def __init__(self, dim, depth, num_heads, window_size, compress_ratio, squeeze_factor, conv_scale,
                 overlap_ratio, mlp_ratio, qkv_bias):
        super().__init__()
        self.blocks = nn.ModuleList([
            HAB(dim, num_heads, window_size, 0 if i % 2 == 0 else window_size // 2, compress_ratio,
                squeeze_factor, conv_scale, mlp_ratio, qkv_bias)
            for i in range(depth)])
        self.overlap_attn = OCAB(dim, window_size, overlap_ratio, num_heads, qkv_bias, mlp_ratio)

    def forward(self, x, x_size, params):
        for blk in self.blocks:
            x = blk(x, x_size, params["rpi_sa"], params["attn_mask"])
        return self.overlap_attn(x, x_size, params["rpi_oca"])


class RHAG(nn.Module):
    """Residual hybrid attention group."""

    def __init__(self, dim, depth, num_heads, window_size, compress_ratio, squeeze_factor, conv_scale,
                 overlap_ratio, mlp_ratio, qkv_bias, resi_connection):
        super().__init__()
        self.residual_group = AttenBlocks(dim, depth, num_heads, window_size, compress_ratio, squeeze_factor,
                                          conv_scale, overlap_ratio, mlp_ratio, qkv_bias)
        self.conv = nn.Conv2d(dim, dim, 3, 1, 1) if resi_connection == "1conv" else nn.Identity()

    def forward(self, x, x_size, params):
        y = self.conv(common.image(self.residual_group(x, x_size, params), *x_size))
        return common.tokens(y) + x


def overlapping_relative_position_index(ws, ows):
    """Relative position index between a ws x ws query window and the ows x ows key window that is
    centred on it (HAT's calculate_rpi_oca)."""
    ori = torch.stack(torch.meshgrid(torch.arange(ws), torch.arange(ws), indexing="ij")).flatten(1)
    ext = torch.stack(torch.meshgrid(torch.arange(ows), torch.arange(ows), indexing="ij")).flatten(1)
    rel = (ext[:, None, :] - ori[:, :, None]).permute(1, 2, 0)  # ws*ws, ows*ows, 2
    rel = rel + (ws - ows + 1)
    return rel[..., 0] * (ws + ows - 1) + rel[..., 1]


class _PatchEmbedNorm(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.norm = nn.LayerNorm(dim)


class HAT(nn.Module):
    def __init__(self, in_chans=3, embed_dim=96, depths=(6, 6, 6, 6), num_heads=(6, 6, 6, 6), window_size=7,
                 compress_ratio=3, squeeze_factor=30, conv_scale=0.01, overlap_ratio=0.5, mlp_ratio=4.0,
                 qkv_bias=True, patch_norm=True, upscale=2, img_range=1.0, resi_connection="1conv", num_feat=64):
        super().__init__()
        self.window_size = window_size
        self.shift_size = window_size // 2
        self.img_range = img_range
        self.upscale = upscale
        mean = common.RGB_MEAN if in_chans == 3 else (0.0,) * in_chans
        self.register_buffer("mean", torch.tensor(mean).view(1, in_chans, 1, 1), persistent=False)
        ows = int(window_size * overlap_ratio) + window_size
        self.register_buffer("relative_position_index_SA", common.relative_position_index(window_size, window_size))
        self.register_buffer("relative_position_index_OCA", overlapping_relative_position_index(window_size, ows))
        self.conv_first = nn.Conv2d(in_chans, embed_dim, 3, 1, 1)
        self.patch_embed = _PatchEmbedNorm(embed_dim) if patch_norm else None
        self.layers = nn.ModuleList([
            RHAG(embed_dim, depths[i], num_heads[i], window_size, compress_ratio, squeeze_factor, conv_scale,
                 overlap_ratio, mlp_ratio, qkv_bias, resi_connection)
            for i in range(len(depths))])
        self.norm = nn.LayerNorm(embed_dim)
        self.conv_after_body = nn.Conv2d(embed_dim, embed_dim, 3, 1, 1) if resi_connection == "1conv" else nn.Identity()
        self.conv_before_upsample = nn.Sequential(nn.Conv2d(embed_dim, num_feat, 3, 1, 1), nn.LeakyReLU(inplace=True))
        self.upsample = common.Upsample(upscale, num_feat)
        self.conv_last = nn.Conv2d(num_feat, in_chans, 3, 1, 1)

    def forward_features(self, x):
        h, w = x.shape[2], x.shape[3]
        ws, s = self.window_size, self.shift_size
        params = {"attn_mask": common.shift_window_mask(h, w, ws, ws, s, s),
                  "rpi_sa": self.relative_position_index_SA, "rpi_oca": self.relative_position_index_OCA}
        x = common.tokens(x)
        if self.patch_embed is not None:
            x = self.patch_embed.norm(x)
        for layer in self.layers:
            x = layer(x, (h, w), params)
        return common.image(self.norm(x), h, w)

    def forward(self, x):
        h, w = x.shape[2], x.shape[3]
        x = common.pad_to_multiple(x, self.window_size, "reflect")
        x = (x - self.mean) * self.img_range
        x = self.conv_first(x)
        x = self.conv_after_body(self.forward_features(x)) + x
        x = self.conv_last(self.upsample(self.conv_before_upsample(x)))
        x = x / self.img_range + self.mean
        return x[:, :, :h * self.upscale, :w * self.upscale]
