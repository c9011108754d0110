"""Classic super-resolution and restoration networks, written from their papers.

Each class takes its sizes as constructor arguments so the same definition serves both the tiny
committed fixtures and the full-size benchmark models. Only the forward structure matters here:
weights are random and set by the caller.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv(cin, cout, k, bias=True):
    """A 'same' convolution for odd kernel sizes, the building block of every network below."""
    return nn.Conv2d(cin, cout, k, padding=k // 2, bias=bias)


class SRCNN(nn.Module):
    """Dong et al. 2014: patch extraction (9x9), non-linear mapping (1x1), reconstruction (5x5).

    The paper feeds a bicubic-upscaled image; the upscale is kept inside the graph so the model
    takes the low-resolution image like every other network here.
    """

    def __init__(self, channels=3, n1=64, n2=32, scale=2):
        super().__init__()
        self.scale = scale
        self.extract = conv(channels, n1, 9)
        self.mapping = conv(n1, n2, 1)
        self.reconstruct = conv(n2, channels, 5)

    def forward(self, x):
        x = F.interpolate(x, scale_factor=self.scale, mode="bicubic", align_corners=False)
        x = F.relu(self.extract(x))
        x = F.relu(self.mapping(x))
        return self.reconstruct(x)


class FSRCNN(nn.Module):
    """Dong et al. 2016: extract (5x5, d) -> shrink (1x1, s) -> m mappings (3x3, s) -> expand (1x1, d)
    -> transposed 9x9 deconvolution with stride = scale, PReLU with one slope per channel."""

    def __init__(self, channels=1, d=56, s=12, m=4, scale=2):
        super().__init__()
        layers = [conv(channels, d, 5), nn.PReLU(d), conv(d, s, 1), nn.PReLU(s)]
        for _ in range(m):
            layers += [conv(s, s, 3), nn.PReLU(s)]
        layers += [conv(s, d, 1), nn.PReLU(d)]
        self.body = nn.Sequential(*layers)
        # Output size (H-1)*scale - 2*pad + 9 + output_padding equals H*scale exactly when
        # 2*pad - output_padding = 9 - scale; pad 4 keeps the kernel centred on each input pixel.
        pad = 4
        self.deconv = nn.ConvTranspose2d(d, channels, 9, stride=scale, padding=pad,
                                         output_padding=2 * pad - 9 + scale)

    def forward(self, x):
        return self.deconv(self.body(x))


class ESPCN(nn.Module):
    """Shi et al. 2016: 5x5 and 3x3 convolutions with tanh in low resolution, then a sub-pixel
    convolution layer (conv to C*r^2 channels + periodic shuffle)."""

    def __init__(self, channels=3, f1=64, f2=32, scale=3):
        super().__init__()
        self.c1 = conv(channels, f1, 5)
        self.c2 = conv(f1, f2, 3)
        self.c3 = conv(f2, channels * scale * scale, 3)
        self.shuffle = nn.PixelShuffle(scale)

    def forward(self, x):
        x = torch.tanh(self.c1(x))
        x = torch.tanh(self.c2(x))
        return self.shuffle(self.c3(x))


# DIV2K training-set RGB mean, the value EDSR and RCAN subtract at the input and add back at the end.
DIV2K_RGB_MEAN = (0.4488, 0.4371, 0.4040)


class SubMeanConv(nn.Conv2d):
    """Mean subtraction as a frozen 1x1 convolution (identity / std, bias -mean / std), the way the
    EDSR reference implementation expresses it; std 1 as in EDSR."""

    def __init__(self, mean=DIV2K_RGB_MEAN, std=(1.0, 1.0, 1.0)):
        super().__init__(3, 3, 1)
        std_t = torch.tensor(std)
        with torch.no_grad():
            self.weight.copy_(torch.eye(3).view(3, 3, 1, 1) / std_t.view(3, 1, 1, 1))
            self.bias.copy_(-torch.tensor(mean) / std_t)
        for p in self.parameters():
            p.requires_grad_(False)


class MeanShift(nn.Module):
    """Adds (sign=+1) or subtracts (sign=-1) the RGB mean with a broadcast, the plain form."""

    def __init__(self, sign, mean=DIV2K_RGB_MEAN):
        super().__init__()
        self.register_buffer("shift", sign * torch.tensor(mean).view(1, 3, 1, 1))

    def forward(self, x):
        return x + self.shift


def pixel_shuffle_upsampler(n_feats, scale):
    """conv to 4x (or 9x) the features followed by PixelShuffle, once per factor 2 (or 3)."""
    layers = []
    if scale in (2, 4, 8):
        for _ in range({2: 1, 4: 2, 8: 3}[scale]):
            layers += [conv(n_feats, 4 * n_feats, 3), nn.PixelShuffle(2)]
    elif scale == 3:
        layers += [conv(n_feats, 9 * n_feats, 3), nn.PixelShuffle(3)]
    else:
        raise ValueError(f"unsupported scale {scale}")
    return nn.Sequential(*layers)


class ResBlock(nn.Module):
    """EDSR residual block: conv-ReLU-conv without batch norm, scaled before the identity add."""

    def __init__(self, n_feats, res_scale):
        super().__init__()
        self.c1 = conv(n_feats, n_feats, 3)
        self.c2 = conv(n_feats, n_feats, 3)
        self.res_scale = res_scale

    def forward(self, x):
        r = self.c2(F.relu(self.c1(x)))
        return x + r * self.res_scale if self.res_scale != 1 else x + r


class EDSR(nn.Module):
    """Lim et al. 2017: mean shift, head conv, residual body with a long skip, sub-pixel tail.

    The input mean shift is the frozen 1x1 conv and the output one a broadcast Add, so one model
    exercises both ways exporters write it.
    """

    def __init__(self, n_feats=64, n_blocks=16, res_scale=1.0, scale=4):
        super().__init__()
        self.sub_mean = SubMeanConv()
        self.head = conv(3, n_feats, 3)
        self.body = nn.Sequential(*[ResBlock(n_feats, res_scale) for _ in range(n_blocks)],
                                  conv(n_feats, n_feats, 3))
        self.upsample = pixel_shuffle_upsampler(n_feats, scale)
        self.tail = conv(n_feats, 3, 3)
        self.add_mean = MeanShift(+1)

    def forward(self, x):
        x = self.head(self.sub_mean(x))
        x = x + self.body(x)
        return self.add_mean(self.tail(self.upsample(x)))


class ChannelAttention(nn.Module):
    """RCAN channel attention: global average pool, 1x1 squeeze/excite, sigmoid gate."""

    def __init__(self, n_feats, reduction):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.squeeze = nn.Conv2d(n_feats, n_feats // reduction, 1)
        self.excite = nn.Conv2d(n_feats // reduction, n_feats, 1)

    def forward(self, x):
        w = torch.sigmoid(self.excite(F.relu(self.squeeze(self.pool(x)))))
        return x * w


class RCAB(nn.Module):
    def __init__(self, n_feats, reduction):
        super().__init__()
        self.c1 = conv(n_feats, n_feats, 3)
        self.c2 = conv(n_feats, n_feats, 3)
        self.ca = ChannelAttention(n_feats, reduction)

    def forward(self, x):
        return x + self.ca(self.c2(F.relu(self.c1(x))))


class ResidualGroup(nn.Module):
    def __init__(self, n_feats, n_blocks, reduction):
        super().__init__()
        self.body = nn.Sequential(*[RCAB(n_feats, reduction) for _ in range(n_blocks)],
                                  conv(n_feats, n_feats, 3))

    def forward(self, x):
        return x + self.body(x)


class RCAN(nn.Module):
    """Zhang et al. 2018: residual-in-residual of residual groups of channel-attention blocks."""

    def __init__(self, n_feats=64, n_groups=10, n_blocks=20, reduction=16, scale=2):
        super().__init__()
        self.sub_mean = MeanShift(-1)
        self.head = conv(3, n_feats, 3)
        self.body = nn.Sequential(*[ResidualGroup(n_feats, n_blocks, reduction) for _ in range(n_groups)],
                                  conv(n_feats, n_feats, 3))
        self.upsample = pixel_shuffle_upsampler(n_feats, scale)
        self.tail = conv(n_feats, 3, 3)
        self.add_mean = MeanShift(+1)

    def forward(self, x):
        x = self.head(self.sub_mean(x))
        x = x + self.body(x)
        return self.add_mean(self.tail(self.upsample(x)))


class ResidualDenseBlock(nn.Module):
    """ESRGAN RDB: five 3x3 convs, each seeing the concatenation of the input and all earlier
    outputs (growth gc channels each), LeakyReLU 0.2 on all but the last, 0.2-scaled residual."""

    def __init__(self, nf, gc):
        super().__init__()
        self.convs = nn.ModuleList([conv(nf + i * gc, gc, 3) for i in range(4)] + [conv(nf + 4 * gc, nf, 3)])

    def forward(self, x):
        feats = [x]
        for c in self.convs[:-1]:
            feats.append(F.leaky_relu(c(torch.cat(feats, 1)), 0.2))
        return x + 0.2 * self.convs[-1](torch.cat(feats, 1))


class RRDB(nn.Module):
    def __init__(self, nf, gc):
        super().__init__()
        self.rdbs = nn.Sequential(*[ResidualDenseBlock(nf, gc) for _ in range(3)])

    def forward(self, x):
        return x + 0.2 * self.rdbs(x)


class RRDBNet(nn.Module):
    """Wang et al. 2018 (ESRGAN) generator: RRDB trunk with a long skip, then two rounds of nearest
    x2 upsampling + conv + LeakyReLU, a high-resolution conv and the output conv."""

    def __init__(self, nf=64, n_blocks=23, gc=32):
        super().__init__()
        self.conv_first = conv(3, nf, 3)
        self.trunk = nn.Sequential(*[RRDB(nf, gc) for _ in range(n_blocks)])
        self.trunk_conv = conv(nf, nf, 3)
        self.up1 = conv(nf, nf, 3)
        self.up2 = conv(nf, nf, 3)
        self.hr_conv = conv(nf, nf, 3)
        self.conv_last = conv(nf, 3, 3)

    def forward(self, x):
        fea = self.conv_first(x)
        fea = fea + self.trunk_conv(self.trunk(fea))
        fea = F.leaky_relu(self.up1(F.interpolate(fea, scale_factor=2, mode="nearest")), 0.2)
        fea = F.leaky_relu(self.up2(F.interpolate(fea, scale_factor=2, mode="nearest")), 0.2)
        return self.conv_last(F.leaky_relu(self.hr_conv(fea), 0.2))


class SRVGGNetCompact(nn.Module):
    """Real-ESRGAN compact model: a plain stack of 3x3 conv + per-channel PReLU in low resolution,
    a last conv to 3*scale^2 channels and PixelShuffle, plus the nearest-upsampled input."""

    def __init__(self, num_feat=64, num_conv=16, scale=4):
        super().__init__()
        self.scale = scale
        layers = [conv(3, num_feat, 3), nn.PReLU(num_feat)]
        for _ in range(num_conv):
            layers += [conv(num_feat, num_feat, 3), nn.PReLU(num_feat)]
        layers += [conv(num_feat, 3 * scale * scale, 3), nn.PixelShuffle(scale)]
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return self.body(x) + F.interpolate(x, scale_factor=self.scale, mode="nearest")


class DnCNN(nn.Module):
    """Zhang et al. 2017: conv+ReLU, (depth-2) x conv+BN+ReLU, conv; the network predicts the noise
    and the clean image is the input minus it (residual learning)."""

    def __init__(self, channels=1, features=64, depth=17):
        super().__init__()
        layers = [conv(channels, features, 3), nn.ReLU()]
        for _ in range(depth - 2):
            layers += [conv(features, features, 3, bias=False), nn.BatchNorm2d(features), nn.ReLU()]
        layers.append(conv(features, channels, 3))
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return x - self.body(x)


def double_conv(cin, cout):
    return nn.Sequential(conv(cin, cout, 3), nn.ReLU(), conv(cout, cout, 3), nn.ReLU())


class UNet(nn.Module):
    """Ronneberger et al. 2015 shape with 'same' padding: two 2x2 max-pool levels down, 2x2 stride-2
    transposed convs up, skip connections concatenated on channels. H and W must be multiples of 4."""

    def __init__(self, channels=3, base=8):
        super().__init__()
        self.enc1 = double_conv(channels, base)
        self.enc2 = double_conv(base, 2 * base)
        self.bottom = double_conv(2 * base, 4 * base)
        self.up2 = nn.ConvTranspose2d(4 * base, 2 * base, 2, stride=2)
        self.dec2 = double_conv(4 * base, 2 * base)
        self.up1 = nn.ConvTranspose2d(2 * base, base, 2, stride=2)
        self.dec1 = double_conv(2 * base, base)
        self.out = nn.Conv2d(base, channels, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(F.max_pool2d(e1, 2))
        b = self.bottom(F.max_pool2d(e2, 2))
        d2 = self.dec2(torch.cat([self.up2(b), e2], 1))
        d1 = self.dec1(torch.cat([self.up1(d2), e1], 1))
        return self.out(d1)
