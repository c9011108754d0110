"""DAT (Chen et al., "Dual Aggregation Transformer for Image Super-Resolution", ICCV 2023).

Residual groups of blocks that alternate spatial window attention (two halves of the channels
attend in split_size[0] x split_size[1] and split_size[1] x split_size[0] rectangles, some blocks
shifted) with channel attention (attention between channels over the whole image), each coupled
to a depthwise-conv branch, and a spatial-gate feed-forward network. The spatial attention pads its
input to a multiple of the larger window side inside the network."""

import torch
import torch.nn as nn
import torch.nn.functional as F

from . import common


class SpatialGate(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.conv = nn.Conv2d(dim, dim, 3, 1, 1, groups=dim)

    def forward(self, x, h, w):
        x1, x2 = x.chunk(2, dim=-1)
        x2 = common.tokens(self.conv(common.image(self.norm(x2), h, w)))
        return x1 * x2


class SGFN(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.sg = SpatialGate(hidden // 2)
        self.fc2 = nn.Linear(hidden // 2, dim)

    def forward(self, x, h, w):
        return self.fc2(self.sg(self.act(self.fc1(x)), h, w))


class DynamicPosBias(nn.Module):
    """An MLP from relative offsets (dy, dx) to one bias per head; its input is constant, so an
    export folds it to a table."""

    def __init__(self, dim, num_heads):
        super().__init__()
        self.pos_dim = dim // 4
        self.pos_proj = nn.Linear(2, self.pos_dim)
        self.pos1 = nn.Sequential(nn.LayerNorm(self.pos_dim), nn.ReLU(inplace=True), nn.Linear(self.pos_dim, self.pos_dim))
        self.pos2 = nn.Sequential(nn.LayerNorm(self.pos_dim), nn.ReLU(inplace=True), nn.Linear(self.pos_dim, self.pos_dim))
        self.pos3 = nn.Sequential(nn.LayerNorm(self.pos_dim), nn.ReLU(inplace=True), nn.Linear(self.pos_dim, num_heads))

    def forward(self, biases):
        return self.pos3(self.pos2(self.pos1(self.pos_proj(biases))))


class SpatialAttention(nn.Module):
    """Window attention in H_sp x W_sp rectangles with a dynamic relative position bias."""

    def __init__(self, dim, idx, split_size, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.scale = (dim // num_heads) ** -0.5
        self.H_sp, self.W_sp = (split_size[0], split_size[1]) if idx == 0 else (split_size[1], split_size[0])
        self.pos = DynamicPosBias(dim // 4, num_heads)
        bh = torch.arange(1 - self.H_sp, self.H_sp)
        bw = torch.arange(1 - self.W_sp, self.W_sp)
        biases = torch.stack(torch.meshgrid(bh, bw, indexing="ij")).flatten(1).transpose(0, 1).contiguous().float()
        self.register_buffer("rpe_biases", biases)
        self.register_buffer("relative_position_index", common.relative_position_index(self.H_sp, self.W_sp))

    def im2win(self, x, h, w):
        b, _, c = x.shape
        x = common.window_partition(x.view(b, h, w, c), self.H_sp, self.W_sp)
        return x.reshape(-1, self.H_sp * self.W_sp, self.num_heads, c // self.num_heads).permute(0, 2, 1, 3)

    def forward(self, qkv, h, w, mask=None):
        q, k, v = qkv[0], qkv[1], qkv[2]
        c = q.shape[2]
        q, k, v = self.im2win(q, h, w), self.im2win(k, h, w), self.im2win(v, h, w)
        attn = (q * self.scale) @ k.transpose(-2, -1)
        n = self.H_sp * self.W_sp
        bias = self.pos(self.rpe_biases)[self.relative_position_index.view(-1)].view(n, n, -1).permute(2, 0, 1)
        attn = attn + bias.unsqueeze(0)
        if mask is not None:
            attn = common.add_window_mask(attn, mask, self.num_heads)
        attn = attn.softmax(dim=-1)
        x = (attn @ v).transpose(1, 2).reshape(-1, n, c)
        return common.window_reverse(x, self.H_sp, self.W_sp, h, w)


def _conv_branches(dim):
    dwconv = nn.Sequential(nn.Conv2d(dim, dim, 3, 1, 1, groups=dim), nn.BatchNorm2d(dim), nn.GELU())
    channel = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(dim, dim // 8, 1), nn.BatchNorm2d(dim // 8), nn.GELU(),
                            nn.Conv2d(dim // 8, dim, 1))
    spatial = nn.Sequential(nn.Conv2d(dim, dim // 16, 1), nn.BatchNorm2d(dim // 16), nn.GELU(), nn.Conv2d(dim // 16, 1, 1))
    return dwconv, channel, spatial


class AdaptiveSpatialAttention(nn.Module):
    def __init__(self, dim, num_heads, split_size, shift_size, qkv_bias, shifted):
        super().__init__()
        self.split_size = split_size
        self.shift_size = shift_size
        self.shifted = shifted
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)
        self.attns = nn.ModuleList([SpatialAttention(dim // 2, i, split_size, num_heads // 2) for i in range(2)])
        self.dwconv, self.channel_interaction, self.spatial_interaction = _conv_branches(dim)

    def masks(self, h, w):
        s0, s1 = self.split_size
        t0, t1 = self.shift_size
        return common.shift_window_mask(h, w, s0, s1, t0, t1), common.shift_window_mask(h, w, s1, s0, t1, t0)

    def forward(self, x, h, w):
        b, l, c = x.shape
        qkv = self.qkv(x).reshape(b, -1, 3, c).permute(2, 0, 1, 3)  # 3, b, hw, c
        v = qkv[2].transpose(-2, -1).reshape(b, c, h, w)
        m = max(self.split_size)
        pad_r = (m - w % m) % m
        pad_b = (m - h % m) % m
        qkv = qkv.reshape(3 * b, h, w, c).permute(0, 3, 1, 2)
        qkv = F.pad(qkv, (0, pad_r, 0, pad_b)).reshape(3, b, c, -1).transpose(-2, -1)
        hp, wp = h + pad_b, w + pad_r
        half = c // 2
        if self.shifted:
            t0, t1 = self.shift_size
            qkv = qkv.view(3, b, hp, wp, c)
            qkv0 = torch.roll(qkv[..., :half], shifts=(-t0, -t1), dims=(2, 3)).reshape(3, b, -1, half)
            qkv1 = torch.roll(qkv[..., half:], shifts=(-t1, -t0), dims=(2, 3)).reshape(3, b, -1, half)
            mask0, mask1 = self.masks(hp, wp)
            x1 = torch.roll(self.attns[0](qkv0, hp, wp, mask0), shifts=(t0, t1), dims=(1, 2))
            x2 = torch.roll(self.attns[1](qkv1, hp, wp, mask1), shifts=(t1, t0), dims=(1, 2))
        else:
            x1 = self.attns[0](qkv[..., :half], hp, wp)
            x2 = self.attns[1](qkv[..., half:], hp, wp)
        x1 = x1[:, :h, :w, :].reshape(b, l, half)
        x2 = x2[:, :h, :w, :].reshape(b, l, half)
        attened = torch.cat([x1, x2], dim=2)
        conv_x = self.dwconv(v)
        channel_map = self.channel_interaction(conv_x).permute(0, 2, 3, 1).reshape(b, 1, c)
        spatial_map = self.spatial_interaction(common.image(attened, h, w))
        attened = attened * torch.sigmoid(channel_map)
        conv_x = common.tokens(torch.sigmoid(spatial_map) * conv_x)
        return self.proj(attened + conv_x)


class AdaptiveChannelAttention(nn.Module):
    def __init__(self, dim, num_heads, qkv_bias):
        super().__init__()
        self.num_heads = num_heads
        self.temperature = nn.Parameter(torch.ones(num_heads, 1, 1))
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)
        self.dwconv, self.channel_interaction, self.spatial_interaction = _conv_branches(dim)

    def forward(self, x, h, w):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.num_heads, c // self.num_heads).permute(2, 0, 3, 4, 1)
        q, k, v = qkv[0], qkv[1], qkv[2]  # b, heads, d, n
        v_img = v.reshape(b, c, h, w)
        q = F.normalize(q, dim=-1)
        k = F.normalize(k, dim=-1)
        attn = ((q @ k.transpose(-2, -1)) * self.temperature).softmax(dim=-1)
        attened = (attn @ v).permute(0, 3, 1, 2).reshape(b, n, c)
        conv_x = self.dwconv(v_img)
        channel_map = self.channel_interaction(common.image(attened, h, w))
        spatial_map = self.spatial_interaction(conv_x).permute(0, 2, 3, 1).reshape(b, n, 1)
        attened = attened * torch.sigmoid(spatial_map)
        conv_x = common.tokens(conv_x * torch.sigmoid(channel_map))
        return self.proj(attened + conv_x)


class DATB(nn.Module):
    def __init__(self, dim, num_heads, split_size, expansion_factor, qkv_bias, rg_idx, b_idx):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        if b_idx % 2 == 0:
            # The authors' schedule of shifted spatial blocks.
            shifted = (rg_idx % 2 == 0 and b_idx > 0 and (b_idx - 2) % 4 == 0) or (rg_idx % 2 != 0 and b_idx % 4 == 0)
            shift = [split_size[0] // 2, split_size[1] // 2]
            self.attn = AdaptiveSpatialAttention(dim, num_heads, split_size, shift, qkv_bias, shifted)
        else:
            self.attn = AdaptiveChannelAttention(dim, num_heads, qkv_bias)
        self.ffn = SGFN(dim, int(dim * expansion_factor))
        self.norm2 = nn.LayerNorm(dim)

    def forward(self, x, x_size):
        h, w = x_size
        x = x + self.attn(self.norm1(x), h, w)
        return x + self.ffn(self.norm2(x), h, w)


class ResidualGroup(nn.Module):
    def __init__(self, dim, num_heads, split_size, expansion_factor, qkv_bias, depth, resi_connection, rg_idx):
        super().__init__()
        self.blocks = nn.ModuleList([
            DATB(dim, num_heads, split_size, expansion_factor, qkv_bias, rg_idx, i) for i in range(depth)])
        self.conv = common.residual_conv(dim, resi_connection)

    def forward(self, x, x_size):
        res = x
        for blk in self.blocks:
            x = blk(x, x_size)
        return res + common.tokens(self.conv(common.image(x, *x_size)))


class _Tokens(nn.Module):
    def forward(self, x):
        return common.tokens(x)


class DAT(nn.Module):
    def __init__(self, in_chans=3, embed_dim=180, split_size=(2, 4), depth=(2, 2, 2, 2), num_heads=(2, 2, 2, 2),
                 expansion_factor=4.0, qkv_bias=True, upscale=2, img_range=1.0, resi_connection="1conv",
                 upsampler="pixelshuffle", num_feat=64):
        super().__init__()
        self.img_range = img_range
        self.upsampler = upsampler
        mean = common.RGB_MEAN if in_chans == 3 else (0.0,) * in_chans
        self.register_buffer("mean", torch.tensor(mean).view(1, in_chans, 1, 1), persistent=False)
        self.conv_first = nn.Conv2d(in_chans, embed_dim, 3, 1, 1)
        self.before_RG = nn.Sequential(_Tokens(), nn.LayerNorm(embed_dim))
        self.layers = nn.ModuleList([
            ResidualGroup(embed_dim, num_heads[i], list(split_size), expansion_factor, qkv_bias, depth[i],
                          resi_connection, i)
            for i in range(len(depth))])
        self.norm = nn.LayerNorm(embed_dim)
        self.conv_after_body = common.residual_conv(embed_dim, resi_connection)
        if upsampler == "pixelshuffle":
            self.conv_before_upsample = nn.Sequential(nn.Conv2d(embed_dim, num_feat, 3, 1, 1), nn.LeakyReLU(inplace=True))
            self.upsample = common.Upsample(upscale, num_feat)
            self.conv_last = nn.Conv2d(num_feat, in_chans, 3, 1, 1)
        elif upsampler == "pixelshuffledirect":
            self.upsample = common.UpsampleOneStep(upscale, embed_dim, in_chans)
        else:
            raise ValueError(f"unknown upsampler {upsampler!r}")

    def forward_features(self, x):
        h, w = x.shape[2], x.shape[3]
        x = self.before_RG(x)
        for layer in self.layers:
            x = layer(x, (h, w))
        return common.image(self.norm(x), h, w)

    def forward(self, x):
        x = (x - self.mean) * self.img_range
        x = self.conv_first(x)
        x = self.conv_after_body(self.forward_features(x)) + x
        if self.upsampler == "pixelshuffle":
            x = self.conv_last(self.upsample(self.conv_before_upsample(x)))
        else:
            x = self.upsample(x)
        return x / self.img_range + self.mean
