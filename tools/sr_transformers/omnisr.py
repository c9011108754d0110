"""OmniSR (Wang et al., "Omni Aggregation Networks for Lightweight Image Super-Resolution", CVPR 2023).

Omni self-attention blocks: an MBConv, block-window attention, gated conv FFN, channel attention
within windows, FFN, grid attention (tokens strided across the image), FFN, channel attention
across the grid, FFN; groups of them end in a 1x1 conv and enhanced spatial attention (ESA). The
input is zero-padded to a window multiple and the output cropped back, as the authors' code does.
The authors' einops rearranges are written out as view/permute (the same Reshape/Transpose in ONNX)."""

import torch
import torch.nn as nn
import torch.nn.functional as F

from . import common


class LayerNorm2d(nn.Module):
    """LayerNorm over the channel axis of NCHW, eps 1e-6 (the authors' autograd function's forward)."""

    def __init__(self, channels, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.eps = eps

    def forward(self, x):
        c = x.shape[1]
        mu = x.mean(1, keepdim=True)
        var = (x - mu).pow(2).mean(1, keepdim=True)
        y = (x - mu) / (var + self.eps).sqrt()
        return self.weight.view(1, c, 1, 1) * y + self.bias.view(1, c, 1, 1)


class PreNormResidual(nn.Module):
    def __init__(self, dim, fn):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.fn = fn

    def forward(self, x):
        return self.fn(self.norm(x)) + x


class ConvPreNormResidual(nn.Module):
    def __init__(self, dim, fn):
        super().__init__()
        self.norm = LayerNorm2d(dim)
        self.fn = fn

    def forward(self, x):
        return self.fn(self.norm(x)) + x


class GatedConvFeedForward(nn.Module):
    def __init__(self, dim, mult=1, bias=False):
        super().__init__()
        hidden = int(dim * mult)
        self.project_in = nn.Conv2d(dim, hidden * 2, 1, bias=bias)
        self.dwconv = nn.Conv2d(hidden * 2, hidden * 2, 3, 1, 1, groups=hidden * 2, bias=bias)
        self.project_out = nn.Conv2d(hidden, dim, 1, bias=bias)

    def forward(self, x):
        x1, x2 = self.dwconv(self.project_in(x)).chunk(2, dim=1)
        return self.project_out(F.gelu(x1) * x2)


class _SqueezeMean(nn.Module):
    def forward(self, x):
        return x.mean(dim=(2, 3))


class _Unsqueeze11(nn.Module):
    def forward(self, x):
        return x.view(x.shape[0], x.shape[1], 1, 1)


class SqueezeExcitation(nn.Module):
    def __init__(self, dim, shrinkage_rate=0.25):
        super().__init__()
        hidden = int(dim * shrinkage_rate)
        self.gate = nn.Sequential(_SqueezeMean(), nn.Linear(dim, hidden, bias=False), nn.SiLU(),
                                  nn.Linear(hidden, dim, bias=False), nn.Sigmoid(), _Unsqueeze11())

    def forward(self, x):
        return x * self.gate(x)


class MBConvResidual(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x) + x


def mbconv(dim, expansion_rate=1, shrinkage_rate=0.25):
    hidden = int(expansion_rate * dim)
    return MBConvResidual(nn.Sequential(
        nn.Conv2d(dim, hidden, 1), nn.GELU(), nn.Conv2d(hidden, hidden, 3, 1, 1, groups=hidden), nn.GELU(),
        SqueezeExcitation(hidden, shrinkage_rate), nn.Conv2d(hidden, dim, 1)))


class Attention(nn.Module):
    """Self-attention inside windows given as (b, X, Y, w1, w2, d), with a relative position bias."""

    def __init__(self, dim, dim_head, window_size, with_pe):
        super().__init__()
        self.heads = dim // dim_head
        self.scale = dim_head ** -0.5
        self.with_pe = with_pe
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.to_out = nn.Sequential(nn.Linear(dim, dim, bias=False))
        if with_pe:
            self.rel_pos_bias = nn.Embedding((2 * window_size - 1) ** 2, self.heads)
            self.register_buffer("rel_pos_indices", common.relative_position_index(window_size, window_size),
                                 persistent=False)

    def forward(self, x):
        b, nx, ny, w1, w2, d = x.shape
        h = self.heads
        x = x.reshape(-1, w1 * w2, d)
        q, k, v = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = (t.reshape(t.shape[0], w1 * w2, h, d // h).permute(0, 2, 1, 3) for t in (q, k, v))
        sim = torch.einsum("bhid,bhjd->bhij", q * self.scale, k)
        if self.with_pe:
            sim = sim + self.rel_pos_bias(self.rel_pos_indices).permute(2, 0, 1)
        out = torch.einsum("bhij,bhjd->bhid", sim.softmax(dim=-1), v)
        out = self.to_out(out.permute(0, 2, 1, 3).reshape(-1, w1, w2, d))
        return out.reshape(b, nx, ny, w1, w2, d)


class ChannelAttention(nn.Module):
    """Attention between channels within each ps x ps window ('grid': across the windows instead,
    for each position inside a window)."""

    def __init__(self, dim, heads, window_size, grid, bias=False):
        super().__init__()
        self.heads = heads
        self.ps = window_size
        self.grid = grid
        self.temperature = nn.Parameter(torch.ones(heads, 1, 1))
        self.qkv = nn.Conv2d(dim, dim * 3, 1, bias=bias)
        self.qkv_dwconv = nn.Conv2d(dim * 3, dim * 3, 3, 1, 1, groups=dim * 3, bias=bias)
        self.project_out = nn.Conv2d(dim, dim, 1, bias=bias)

    def forward(self, x):
        b, c, h, w = x.shape
        ps, heads, d = self.ps, self.heads, c // self.heads
        nh, nw = h // ps, w // ps

        def split(t):  # b (head d) (nh ps) (nw ps) -> b, groups, head, d, tokens
            t = t.reshape(b, heads, d, nh, ps, nw, ps)
            if self.grid:
                return t.permute(0, 4, 6, 1, 2, 3, 5).reshape(b, ps * ps, heads, d, nh * nw)
            return t.permute(0, 3, 5, 1, 2, 4, 6).reshape(b, nh * nw, heads, d, ps * ps)

        q, k, v = (split(t) for t in self.qkv_dwconv(self.qkv(x)).chunk(3, dim=1))
        q = F.normalize(q, dim=-1)
        k = F.normalize(k, dim=-1)
        out = ((q @ k.transpose(-2, -1)) * self.temperature).softmax(dim=-1) @ v
        if self.grid:
            out = out.reshape(b, ps, ps, heads, d, nh, nw).permute(0, 3, 4, 5, 1, 6, 2)
        else:
            out = out.reshape(b, nh, nw, heads, d, ps, ps).permute(0, 3, 4, 1, 5, 2, 6)
        return self.project_out(out.reshape(b, c, h, w))


class _ToWindows(nn.Module):
    """b d (X w1) (Y w2) -> b X Y w1 w2 d (block) or b d (w1 X) (w2 Y) -> b X Y w1 w2 d (grid)."""

    def __init__(self, w, grid):
        super().__init__()
        self.w, self.grid = w, grid

    def forward(self, x):
        b, d, h, wd = x.shape
        w = self.w
        if self.grid:
            return x.reshape(b, d, w, h // w, w, wd // w).permute(0, 3, 5, 2, 4, 1)
        return x.reshape(b, d, h // w, w, wd // w, w).permute(0, 2, 4, 3, 5, 1)


class _FromWindows(nn.Module):
    def __init__(self, grid):
        super().__init__()
        self.grid = grid

    def forward(self, x):
        b, nx, ny, w1, w2, d = x.shape
        if self.grid:
            return x.permute(0, 5, 3, 1, 4, 2).reshape(b, d, w1 * nx, w2 * ny)
        return x.permute(0, 5, 1, 3, 2, 4).reshape(b, d, nx * w1, ny * w2)


class OSABlock(nn.Module):
    def __init__(self, channel_num, window_size, with_pe):
        super().__init__()
        w = window_size
        dim_head = channel_num // 4
        self.layer = nn.Sequential(
            mbconv(channel_num),
            _ToWindows(w, grid=False),
            PreNormResidual(channel_num, Attention(channel_num, dim_head, w, with_pe)),
            _FromWindows(grid=False),
            ConvPreNormResidual(channel_num, GatedConvFeedForward(channel_num)),
            ConvPreNormResidual(channel_num, ChannelAttention(channel_num, 4, w, grid=False)),
            ConvPreNormResidual(channel_num, GatedConvFeedForward(channel_num)),
            _ToWindows(w, grid=True),
            PreNormResidual(channel_num, Attention(channel_num, dim_head, w, with_pe)),
            _FromWindows(grid=True),
            ConvPreNormResidual(channel_num, GatedConvFeedForward(channel_num)),
            ConvPreNormResidual(channel_num, ChannelAttention(channel_num, 4, w, grid=True)),
            ConvPreNormResidual(channel_num, GatedConvFeedForward(channel_num)))

    def forward(self, x):
        return self.layer(x)


class ESA(nn.Module):
    """Enhanced spatial attention (as trimmed by the OmniSR authors)."""

    def __init__(self, esa_channels, n_feats):
        super().__init__()
        f = esa_channels
        self.conv1 = nn.Conv2d(n_feats, f, 1)
        self.conv_f = nn.Conv2d(f, f, 1)
        self.conv2 = nn.Conv2d(f, f, 3, 2, 0)
        self.conv3 = nn.Conv2d(f, f, 3, 1, 1)
        self.conv4 = nn.Conv2d(f, n_feats, 1)

    def forward(self, x):
        c1_ = self.conv1(x)
        c3 = self.conv3(F.max_pool2d(self.conv2(c1_), kernel_size=7, stride=3))
        c3 = F.interpolate(c3, (x.shape[2], x.shape[3]), mode="bilinear", align_corners=False)
        return x * torch.sigmoid(self.conv4(c3 + self.conv_f(c1_)))


class OSAG(nn.Module):
    def __init__(self, channel_num, bias, block_num, window_size, pe):
        super().__init__()
        blocks = [OSABlock(channel_num, window_size, pe) for _ in range(block_num)]
        self.residual_layer = nn.Sequential(*blocks, nn.Conv2d(channel_num, channel_num, 1, 1, 0, bias=bias))
        self.esa = ESA(max(channel_num // 4, 16), channel_num)

    def forward(self, x):
        return self.esa(self.residual_layer(x) + x)


class OmniSR(nn.Module):
    def __init__(self, num_in_ch=3, num_out_ch=3, num_feat=64, block_num=1, pe=True, window_size=8, res_num=1,
                 up_scale=4, bias=True):
        super().__init__()
        self.window_size = window_size
        self.up_scale = up_scale
        self.residual_layer = nn.Sequential(*[OSAG(num_feat, bias, block_num, window_size, pe) for _ in range(res_num)])
        self.input = nn.Conv2d(num_in_ch, num_feat, 3, 1, 1, bias=bias)
        self.output = nn.Conv2d(num_feat, num_feat, 3, 1, 1, bias=bias)
        self.up = nn.Sequential(nn.Conv2d(num_feat, num_out_ch * up_scale * up_scale, 3, 1, 1, bias=bias),
                                nn.PixelShuffle(up_scale))

    def forward(self, x):
        h, w = x.shape[2], x.shape[3]
        x = common.pad_to_multiple(x, self.window_size, "constant")
        residual = self.input(x)
        out = self.output(self.residual_layer(residual)) + residual
        return self.up(out)[:, :, :h * self.up_scale, :w * self.up_scale]
