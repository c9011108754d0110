"""Super-resolution networks with the module names their public checkpoints use.

srengine reads community checkpoints by their state-dict keys, so these definitions reproduce the
names and the forward passes of the authors' code (ESRGAN, BasicSR / Real-ESRGAN, SPAN, RealPLKSR,
KAIR), written here from the papers and those repositories' structure. They serve as the PyTorch
reference that srengine's graph builders are checked against; weights are random.
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv3(cin, cout, bias=True):
    return nn.Conv2d(cin, cout, 3, 1, 1, bias=bias)


def pad_to_multiple(x, m):
    """Reflect-pads bottom and right to multiples of m, as Real-ESRGAN's inference does."""
    h, w = x.shape[-2:]
    ph, pw = (m - h % m) % m, (m - w % m) % m
    return F.pad(x, (0, pw, 0, ph), mode="reflect") if ph or pw else x


# ---- ESRGAN / RRDBNet -------------------------------------------------------------------------
# Wang et al. 2018. Residual dense blocks of five 3x3 convs with dense concatenation and LeakyReLU
# 0.2, residuals scaled by 0.2, three blocks per RRDB; a trunk conv and long skip; nearest x2
# upsampling + conv + LeakyReLU per factor 2; a high-resolution conv and the output conv.


class DenseBlock(nn.Module):
    """One residual dense block. `layout` picks the key names: 'old' wraps each conv in a
    Sequential (conv1.0.weight), as the original ESRGAN repository's block helpers did."""

    def __init__(self, nf, gc, layout):
        super().__init__()
        self.layout = layout
        for i in range(5):
            cin, cout = nf + i * gc, gc if i < 4 else nf
            c = conv3(cin, cout)
            setattr(self, f"conv{i + 1}", nn.Sequential(c) if layout == "old" else c)

    def forward(self, x):
        feats = [x]
        for i in range(1, 5):
            feats.append(F.leaky_relu(getattr(self, f"conv{i}")(torch.cat(feats, 1)), 0.2))
        return x + 0.2 * self.conv5(torch.cat(feats, 1))


class RRDB(nn.Module):
    def __init__(self, nf, gc, layout, names):
        super().__init__()
        self.names = names
        for n in names:
            setattr(self, n, DenseBlock(nf, gc, layout))

    def forward(self, x):
        out = x
        for n in self.names:
            out = getattr(self, n)(out)
        return x + 0.2 * out


class ShortcutBlock(nn.Module):
    def __init__(self, sub):
        super().__init__()
        self.sub = sub

    def forward(self, x):
        return x + self.sub(x)


class RRDBNet(nn.Module):
    """layout 'old': model.0 / model.1.sub.N.RDB1.conv1.0 / model.3 ... (original ESRGAN and most
    community models); 'basicsr': conv_first / body.N.rdb1.conv1 / conv_body / conv_up1 / conv_hr /
    conv_last (Real-ESRGAN); 'esrgan_new': conv_first / RRDB_trunk.N.RDB1.conv1 / trunk_conv /
    upconv1 / HRconv / conv_last (the ESRGAN repository's later file). `unshuffle` > 1 is
    Real-ESRGAN's trick for x2 and x1: the input is pixel-unshuffled first, so in_ch = 3 * f^2."""

    def __init__(self, layout="old", in_ch=3, out_ch=3, nf=64, nb=23, gc=32, ups=2, unshuffle=1):
        super().__init__()
        self.layout, self.ups, self.unshuffle = layout, ups, unshuffle
        self.scale = 2 ** ups // unshuffle
        cin = in_ch * unshuffle * unshuffle
        if layout == "old":
            blocks = [RRDB(nf, gc, "old", ["RDB1", "RDB2", "RDB3"]) for _ in range(nb)]
            layers = [conv3(cin, nf), ShortcutBlock(nn.Sequential(*blocks, conv3(nf, nf)))]
            for _ in range(ups):
                layers += [nn.Upsample(scale_factor=2, mode="nearest"), conv3(nf, nf), nn.LeakyReLU(0.2)]
            layers += [conv3(nf, nf), nn.LeakyReLU(0.2), conv3(nf, out_ch)]
            self.model = nn.Sequential(*layers)
            return
        basicsr = layout == "basicsr"
        rdb_names = ["rdb1", "rdb2", "rdb3"] if basicsr else ["RDB1", "RDB2", "RDB3"]
        self.conv_first = conv3(cin, nf)
        trunk = nn.Sequential(*[RRDB(nf, gc, "new", rdb_names) for _ in range(nb)])
        setattr(self, "body" if basicsr else "RRDB_trunk", trunk)
        setattr(self, "conv_body" if basicsr else "trunk_conv", conv3(nf, nf))
        for i in range(ups):
            setattr(self, f"conv_up{i + 1}" if basicsr else f"upconv{i + 1}", conv3(nf, nf))
        setattr(self, "conv_hr" if basicsr else "HRconv", conv3(nf, nf))
        self.conv_last = conv3(nf, out_ch)

    def network(self, x):
        if self.layout == "old":
            return self.model(x)
        basicsr = self.layout == "basicsr"
        trunk = self.body if basicsr else self.RRDB_trunk
        trunk_conv = self.conv_body if basicsr else self.trunk_conv
        fea = self.conv_first(x)
        fea = fea + trunk_conv(trunk(fea))
        for i in range(self.ups):
            up = getattr(self, f"conv_up{i + 1}" if basicsr else f"upconv{i + 1}")
            fea = F.leaky_relu(up(F.interpolate(fea, scale_factor=2, mode="nearest")), 0.2)
        hr = self.conv_hr if basicsr else self.HRconv
        return self.conv_last(F.leaky_relu(hr(fea), 0.2))

    def forward(self, x):
        if self.unshuffle == 1:
            return self.network(x)
        h, w = x.shape[-2:]
        y = self.network(F.pixel_unshuffle(pad_to_multiple(x, self.unshuffle), self.unshuffle))
        return y[:, :, : h * self.scale, : w * self.scale]


# ---- SRVGGNetCompact ----------------------------------------------------------------------------
# Real-ESRGAN's compact model (Wang et al. 2021): conv + activation pairs in low resolution, a last
# conv to out_ch * s^2 channels, pixel shuffle, plus the nearest-upsampled input.


class SRVGGNetCompact(nn.Module):
    def __init__(self, in_ch=3, out_ch=3, nf=64, n_conv=16, scale=4, act="prelu"):
        super().__init__()
        self.scale = scale

        def activation():
            return {"prelu": lambda: nn.PReLU(nf), "relu": nn.ReLU,
                    "leakyrelu": lambda: nn.LeakyReLU(0.1)}[act]()

        self.body = nn.ModuleList([nn.Conv2d(in_ch, nf, 3, 1, 1), activation()])
        for _ in range(n_conv):
            self.body.extend([nn.Conv2d(nf, nf, 3, 1, 1), activation()])
        self.body.append(nn.Conv2d(nf, out_ch * scale * scale, 3, 1, 1))
        self.upsampler = nn.PixelShuffle(scale)

    def forward(self, x):
        out = x
        for m in self.body:
            out = m(out)
        return self.upsampler(out) + F.interpolate(x, scale_factor=self.scale, mode="nearest")


# ---- SPAN ---------------------------------------------------------------------------------------
# Wan et al. 2024 (Swift Parameter-free Attention Network). Conv3XC trains a 1x1 -> 3x3 -> 1x1
# chain plus a 1x1 skip and at inference folds them into one 3x3 conv ('eval_conv'), recomputed
# from the trained weights on every eval forward. Six SPAB blocks with SiLU and the parameter-free
# attention sigmoid(out) - 0.5.


class Conv3XC(nn.Module):
    def __init__(self, cin, cout, gain=2):
        super().__init__()
        self.sk = nn.Conv2d(cin, cout, 1)
        self.conv = nn.Sequential(nn.Conv2d(cin, cin * gain, 1), nn.Conv2d(cin * gain, cout * gain, 3),
                                  nn.Conv2d(cout * gain, cout, 1))
        self.eval_conv = nn.Conv2d(cin, cout, 3, 1, 1)
        self.eval_conv.weight.requires_grad = False
        self.eval_conv.bias.requires_grad = False

    def fused(self):
        """The single 3x3 conv equal to the chain plus the skip, computed in float64."""
        w1, b1 = self.conv[0].weight.double(), self.conv[0].bias.double()
        w2, b2 = self.conv[1].weight.double(), self.conv[1].bias.double()
        w3, b3 = self.conv[2].weight.double(), self.conv[2].bias.double()
        # w[o,i,y,x] = sum_m,n w3[o,m] w2[m,n,y,x] w1[n,i]
        w = torch.einsum("om,mnyx,ni->oiyx", w3[:, :, 0, 0], w2, w1[:, :, 0, 0])
        b = torch.einsum("om,m->o", w3[:, :, 0, 0], torch.einsum("mnyx,n->m", w2, b1) + b2) + b3
        w = w + F.pad(self.sk.weight.double(), (1, 1, 1, 1))
        dtype = self.sk.weight.dtype
        return w.to(dtype), (b + self.sk.bias.double()).to(dtype)

    def forward(self, x):
        if self.training:
            return self.conv(F.pad(x, (1, 1, 1, 1))) + self.sk(x)
        w, b = self.fused()
        return F.conv2d(x, w, b, padding=1)

    def refresh_eval_conv(self):
        with torch.no_grad():
            w, b = self.fused()
            self.eval_conv.weight.copy_(w)
            self.eval_conv.bias.copy_(b)


class SPAB(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c1_r = Conv3XC(c, c)
        self.c2_r = Conv3XC(c, c)
        self.c3_r = Conv3XC(c, c)

    def forward(self, x):
        out1 = self.c1_r(x)
        out2 = self.c2_r(F.silu(out1))
        out3 = self.c3_r(F.silu(out2))
        att = torch.sigmoid(out3) - 0.5
        return (out3 + x) * att, out1


class SPAN(nn.Module):
    MEAN = (0.4488, 0.4371, 0.4040)

    def __init__(self, in_ch=3, out_ch=3, feat=48, scale=4, norm=True):
        super().__init__()
        self.norm = norm
        if not norm:
            self.register_buffer("no_norm", torch.zeros(1))
        self.conv_1 = Conv3XC(in_ch, feat)
        for i in range(1, 7):
            setattr(self, f"block_{i}", SPAB(feat))
        self.conv_cat = nn.Conv2d(feat * 4, feat, 1)
        self.conv_2 = Conv3XC(feat, feat)
        self.upsampler = nn.Sequential(nn.Conv2d(feat, out_ch * scale * scale, 3, 1, 1), nn.PixelShuffle(scale))

    def forward(self, x):
        if self.norm:
            x = (x - torch.tensor(self.MEAN).view(1, 3, 1, 1)) * 255.0
        f0 = self.conv_1(x)
        b1, _ = self.block_1(f0)
        b = b1
        for i in range(2, 6):
            b, _ = getattr(self, f"block_{i}")(b)
        b6, b6_first = self.block_6(b)
        out = self.conv_cat(torch.cat([f0, self.conv_2(b6), b1, b6_first], 1))
        return self.upsampler(out)


# ---- RealPLKSR ----------------------------------------------------------------------------------
# Lee et al. 2024 (Partial Large Kernel CNNs), neosr's "Real" variant: per block a conv channel
# mixer (3x3 to 2x, Mish, 3x3 back), a large-kernel conv on the first `pdim` channels only, element
# attention x * sigmoid(conv(x)), a 1x1 refinement and GroupNorm(4) (or a channel LayerNorm at the
# block start), residual; the input repeated s^2 times per channel is added before the shuffle.


class ChannelLayerNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.bias = nn.Parameter(torch.zeros(dim))
        self.eps = eps

    def forward(self, x):
        u = x.mean(1, keepdim=True)
        s = (x - u).pow(2).mean(1, keepdim=True)
        return self.weight[:, None, None] * (x - u) / torch.sqrt(s + self.eps) + self.bias[:, None, None]


class PartialConv(nn.Module):
    def __init__(self, pdim, k):
        super().__init__()
        self.conv = nn.Conv2d(pdim, pdim, k, 1, k // 2)
        self.pdim = pdim

    def forward(self, x):
        return torch.cat([self.conv(x[:, : self.pdim]), x[:, self.pdim:]], 1)


class ElementAttention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.f = nn.Sequential(nn.Conv2d(dim, dim, 3, 1, 1), nn.Sigmoid())

    def forward(self, x):
        return x * self.f(x)


class PLKBlock(nn.Module):
    def __init__(self, dim, k, split, use_ea, layer_norm):
        super().__init__()
        self.layer_norm = ChannelLayerNorm(dim) if layer_norm else nn.Identity()
        self.channel_mixer = nn.Sequential(nn.Conv2d(dim, dim * 2, 3, 1, 1), nn.Mish(),
                                           nn.Conv2d(dim * 2, dim, 3, 1, 1))
        self.lk = PartialConv(int(dim * split), k)
        self.attn = ElementAttention(dim) if use_ea else nn.Identity()
        self.refine = nn.Conv2d(dim, dim, 1)
        self.norm = nn.Identity() if layer_norm else nn.GroupNorm(4, dim)

    def forward(self, x):
        y = self.channel_mixer(self.layer_norm(x))
        return self.norm(self.refine(self.attn(self.lk(y)))) + x


class RealPLKSR(nn.Module):
    def __init__(self, dim=64, n_blocks=28, scale=4, k=17, split=0.25, use_ea=True, layer_norm=False):
        super().__init__()
        self.scale = scale
        self.feats = nn.Sequential(nn.Conv2d(3, dim, 3, 1, 1),
                                   *[PLKBlock(dim, k, split, use_ea, layer_norm) for _ in range(n_blocks)],
                                   nn.Dropout2d(0), nn.Conv2d(dim, 3 * scale * scale, 3, 1, 1))
        self.to_img = nn.PixelShuffle(scale)

    def forward(self, x):
        return self.to_img(self.feats(x) + torch.repeat_interleave(x, self.scale ** 2, dim=1))


# ---- EDSR and RCAN, BasicSR naming --------------------------------------------------------------
# Lim et al. 2017 and Zhang et al. 2018 as BasicSR writes them: input (x - DIV2K mean) * 255,
# conv_first, body, conv_after_body with a long skip, conv + pixel-shuffle upsampler, conv_last,
# then / 255 + mean.

DIV2K_MEAN = (0.4488, 0.4371, 0.4040)


def upsampler(nf, scale):
    layers = []
    if scale & (scale - 1) == 0:
        for _ in range(int(math.log2(scale))):
            layers += [conv3(nf, 4 * nf), nn.PixelShuffle(2)]
    elif scale == 3:
        layers += [conv3(nf, 9 * nf), nn.PixelShuffle(3)]
    return nn.Sequential(*layers)


class ResBlock(nn.Module):
    def __init__(self, nf, res_scale):
        super().__init__()
        self.conv1, self.conv2, self.res_scale = conv3(nf, nf), conv3(nf, nf), res_scale

    def forward(self, x):
        return x + self.conv2(F.relu(self.conv1(x))) * self.res_scale


class MeanRangeNet(nn.Module):
    def forward(self, x):
        mean = torch.tensor(DIV2K_MEAN).view(1, 3, 1, 1)
        x = self.conv_first((x - mean) * 255.0)
        x = x + self.conv_after_body(self.body(x))
        return self.conv_last(self.upsample(x)) / 255.0 + mean


class EDSR(MeanRangeNet):
    def __init__(self, nf=64, nb=16, scale=4, res_scale=1.0):
        super().__init__()
        self.conv_first = conv3(3, nf)
        self.body = nn.Sequential(*[ResBlock(nf, res_scale) for _ in range(nb)])
        self.conv_after_body = conv3(nf, nf)
        self.upsample = upsampler(nf, scale)
        self.conv_last = conv3(nf, 3)


class ChannelAttention(nn.Module):
    def __init__(self, nf, squeeze):
        super().__init__()
        self.attention = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(nf, nf // squeeze, 1), nn.ReLU(),
                                       nn.Conv2d(nf // squeeze, nf, 1), nn.Sigmoid())

    def forward(self, x):
        return x * self.attention(x)


class RCAB(nn.Module):
    def __init__(self, nf, squeeze):
        super().__init__()
        self.rcab = nn.Sequential(conv3(nf, nf), nn.ReLU(), conv3(nf, nf), ChannelAttention(nf, squeeze))

    def forward(self, x):
        return x + self.rcab(x)


class ResidualGroup(nn.Module):
    def __init__(self, nf, nb, squeeze):
        super().__init__()
        self.residual_group = nn.Sequential(*[RCAB(nf, squeeze) for _ in range(nb)])
        self.conv = conv3(nf, nf)

    def forward(self, x):
        return x + self.conv(self.residual_group(x))


class RCAN(MeanRangeNet):
    def __init__(self, nf=64, n_groups=10, nb=16, squeeze=16, scale=4):
        super().__init__()
        self.conv_first = conv3(3, nf)
        self.body = nn.Sequential(*[ResidualGroup(nf, nb, squeeze) for _ in range(n_groups)])
        self.conv_after_body = conv3(nf, nf)
        self.upsample = upsampler(nf, scale)
        self.conv_last = conv3(nf, 3)


class MeanShiftConv(nn.Conv2d):
    """The original RCAN/EDSR code's mean shift: a frozen 1x1 conv adding sign * range * mean."""

    def __init__(self, rgb_range, sign):
        super().__init__(3, 3, 1)
        with torch.no_grad():
            self.weight.copy_(torch.eye(3).view(3, 3, 1, 1))
            self.bias.copy_(sign * rgb_range * torch.tensor(DIV2K_MEAN))
        for p in self.parameters():
            p.requires_grad_(False)


class CALayerOriginal(nn.Module):
    def __init__(self, nf, reduction):
        super().__init__()
        self.conv_du = nn.Sequential(nn.Conv2d(nf, nf // reduction, 1), nn.ReLU(), nn.Conv2d(nf // reduction, nf, 1),
                                     nn.Sigmoid())

    def forward(self, x):
        return x * self.conv_du(F.adaptive_avg_pool2d(x, 1))


class RCABOriginal(nn.Module):
    def __init__(self, nf, reduction):
        super().__init__()
        self.body = nn.Sequential(conv3(nf, nf), nn.ReLU(), conv3(nf, nf), CALayerOriginal(nf, reduction))

    def forward(self, x):
        return x + self.body(x)


class GroupOriginal(nn.Module):
    def __init__(self, nf, nb, reduction):
        super().__init__()
        self.body = nn.Sequential(*[RCABOriginal(nf, reduction) for _ in range(nb)], conv3(nf, nf))

    def forward(self, x):
        return x + self.body(x)


class RCANOriginal(nn.Module):
    """RCAN in the authors' naming (yulunzhang/RCAN, as community trainers keep it): head, body of
    groups body.G.body.B.body (RCAB) with body.G.body.N the group conv, body.N the body conv, tail =
    upsampler + conv, and sub_mean / add_mean 1x1 convs when the input is normalised (then it works
    in [0, 255]). With unshuffle (scale 1 or 2), the input is pixel-unshuffled by 4 / scale first
    and the upsampler always goes x4, as traiNNer-redux's variant does."""

    def __init__(self, nf=64, n_groups=10, nb=20, reduction=16, scale=4, norm=True, unshuffle=False):
        super().__init__()
        self.scale, self.norm = scale, norm
        self.rgb_range = 255.0 if norm else 1.0
        if norm:
            self.sub_mean = MeanShiftConv(255.0, -1)
            self.add_mean = MeanShiftConv(255.0, +1)
        self.factor = 4 // scale if unshuffle else 1
        inner = 4 if unshuffle else scale
        head = [conv3(3 * self.factor ** 2, nf)]
        self.head = nn.Sequential(nn.PixelUnshuffle(self.factor), *head) if unshuffle else nn.Sequential(*head)
        self.body = nn.Sequential(*[GroupOriginal(nf, nb, reduction) for _ in range(n_groups)], conv3(nf, nf))
        self.tail = nn.Sequential(upsampler(nf, inner), conv3(nf, 3))

    def forward(self, x):
        h, w = x.shape[-2:]
        x = pad_to_multiple(x, self.factor) * self.rgb_range
        if self.norm:
            x = self.sub_mean(x)
        x = self.head(x)
        x = self.tail(x + self.body(x))
        if self.norm:
            x = self.add_mean(x)
        return (x / self.rgb_range)[:, :, : h * self.scale, : w * self.scale]


# ---- DnCNN / FDnCNN, KAIR naming ----------------------------------------------------------------
# Zhang et al. 2017: conv + ReLU, (nb - 2) x conv + BatchNorm(eps 1e-4) + ReLU (or conv + ReLU
# without BN), conv; DnCNN predicts the noise and returns x - noise. FDnCNN takes a noise-level map
# as an extra channel and returns the clean image directly.


class DnCNN(nn.Module):
    def __init__(self, in_ch=1, out_ch=1, nc=64, nb=17, batch_norm=True, flexible=False):
        super().__init__()
        self.flexible = flexible
        layers = [nn.Conv2d(in_ch, nc, 3, 1, 1), nn.ReLU()]
        for _ in range(nb - 2):
            layers.append(nn.Conv2d(nc, nc, 3, 1, 1))
            if batch_norm:
                layers.append(nn.BatchNorm2d(nc, momentum=0.9, eps=1e-4))
            layers.append(nn.ReLU())
        layers.append(nn.Conv2d(nc, out_ch, 3, 1, 1))
        self.model = nn.Sequential(*layers)

    def forward(self, x, sigma=15 / 255):
        if self.flexible:
            level = torch.full_like(x[:, :1], sigma)
            return self.model(torch.cat([x, level], 1))
        return x - self.model(x)
