#!/usr/bin/env python3
"""Writes single-node ONNX test cases for srengine's spatial ops whose expected outputs come from
PyTorch, on seeded random inputs with odd sizes, groups, dilations and asymmetric padding: an outside
reference next to ONNX's own test data. Layout as ONNX's backend tests (model.onnx,
test_data_set_0/{input,output}_N.pb); graph input 0 is the data, the weights are initializers.

    /usr/bin/python3 tools/pytorch-spatial-fixtures/generate.py engine-api/src/test/resources/pytorch-node

Needs torch and onnx (Debian python3-torch and python3-onnx).
"""
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import helper, numpy_helper, TensorProto

OPSET = 18


def rand(rng, *shape):
    return rng.uniform(-1, 1, size=shape).astype(np.float32)


def write_case(out_dir, name, op, x, y, consts=(), attrs=None):
    """One node `op` reading x (graph input) and the named constants, producing y."""
    case = os.path.join(out_dir, name)
    os.makedirs(os.path.join(case, "test_data_set_0"), exist_ok=True)
    inits = []
    inputs = ["x"]
    for cname, value in consts:
        if value is None:
            inputs.append("")
            continue
        inits.append(numpy_helper.from_array(value, cname))
        inputs.append(cname)
    node = helper.make_node(op, inputs, ["y"], name=name, **(attrs or {}))
    graph = helper.make_graph(
        [node], name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x.shape))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, list(y.shape))],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    # No onnx.checker here: Debian's onnx 1.12 predates the opset-18 Resize attributes used below.
    with open(os.path.join(case, "model.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    with open(os.path.join(case, "test_data_set_0", "input_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(x, "x").SerializeToString())
    with open(os.path.join(case, "test_data_set_0", "output_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(y.astype(np.float32), "y").SerializeToString())


def t(a):
    return torch.from_numpy(a).double()


def np32(v):
    return v.numpy().astype(np.float32)


def convs(out, rng):
    # Asymmetric padding through F.pad, grouped, dilated, strided, rectangular kernel, odd sizes.
    x, w, b = rand(rng, 2, 6, 11, 9), rand(rng, 9, 2, 3, 2), rand(rng, 9)
    pads = [2, 1, 0, 1]  # ONNX order: H begin, W begin, H end, W end
    xp = F.pad(t(x), (pads[1], pads[3], pads[0], pads[2]))
    y = F.conv2d(xp, t(w), t(b), stride=(2, 1), dilation=(2, 1), groups=3)
    write_case(out, "torch_conv2d_grouped_dilated_asymmetric", "Conv", x, np32(y), [("w", w), ("b", b)],
               dict(strides=[2, 1], dilations=[2, 1], group=3, pads=pads))
    x, w = rand(rng, 1, 7, 17), rand(rng, 14, 1, 5)
    y = F.conv1d(t(x), t(w), None, stride=3, padding=2, groups=7)
    write_case(out, "torch_conv1d_depthwise_multiplier", "Conv", x, np32(y), [("w", w)],
               dict(strides=[3], pads=[2, 2], group=7))
    x, w, b = rand(rng, 1, 3, 5, 6, 7), rand(rng, 4, 3, 2, 3, 3), rand(rng, 4)
    y = F.conv3d(t(x), t(w), t(b), stride=(1, 2, 1), padding=(1, 0, 1), dilation=(2, 1, 1))
    write_case(out, "torch_conv3d_strided_dilated", "Conv", x, np32(y), [("w", w), ("b", b)],
               dict(strides=[1, 2, 1], dilations=[2, 1, 1], pads=[1, 0, 1, 1, 0, 1]))
    x, w, b = rand(rng, 1, 16, 13, 13), rand(rng, 33, 16, 3, 3), rand(rng, 33)
    y = F.conv2d(t(x), t(w), t(b), padding=1)
    write_case(out, "torch_conv2d_16_to_33", "Conv", x, np32(y), [("w", w), ("b", b)], dict(pads=[1, 1, 1, 1]))


def conv_transposes(out, rng):
    x, w, b = rand(rng, 2, 4, 5, 3), rand(rng, 4, 3, 3, 2), rand(rng, 6)
    y = F.conv_transpose2d(t(x), t(w), t(b), stride=(2, 3), padding=(1, 0), output_padding=(1, 2), groups=2,
                           dilation=(2, 1))
    write_case(out, "torch_convtranspose2d_grouped_dilated", "ConvTranspose", x, np32(y), [("w", w), ("b", b)],
               dict(strides=[2, 3], pads=[1, 0, 1, 0], output_padding=[1, 2], group=2, dilations=[2, 1]))
    x, w = rand(rng, 1, 3, 7), rand(rng, 3, 1, 4)
    y = F.conv_transpose1d(t(x), t(w), None, stride=2, padding=1, groups=3)
    write_case(out, "torch_convtranspose1d_depthwise", "ConvTranspose", x, np32(y), [("w", w)],
               dict(strides=[2], pads=[1, 1], group=3))
    x, w, b = rand(rng, 1, 8, 6, 5), rand(rng, 8, 5, 4, 4), rand(rng, 5)
    y = F.conv_transpose2d(t(x), t(w), t(b), stride=2, padding=1)
    write_case(out, "torch_convtranspose2d_x2_upsampler", "ConvTranspose", x, np32(y), [("w", w), ("b", b)],
               dict(strides=[2, 2], pads=[1, 1, 1, 1]))


def pools(out, rng):
    x = rand(rng, 1, 3, 7, 9)
    for include in (0, 1):
        y = F.avg_pool2d(t(x), 3, stride=2, padding=1, ceil_mode=True, count_include_pad=bool(include))
        write_case(out, f"torch_avgpool2d_ceil_pad_include{include}", "AveragePool", x, np32(y), [],
                   dict(kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1,
                        count_include_pad=include))
    x = rand(rng, 1, 2, 10, 11)
    y = F.max_pool2d(t(x), (3, 2), stride=(2, 3), padding=1, dilation=(2, 3), ceil_mode=True)
    write_case(out, "torch_maxpool2d_dilated_ceil", "MaxPool", x, np32(y), [],
               dict(kernel_shape=[3, 2], strides=[2, 3], pads=[1, 1, 1, 1], dilations=[2, 3], ceil_mode=1))
    x = rand(rng, 1, 2, 9)
    y = F.avg_pool1d(t(x), 4, stride=3, padding=2, ceil_mode=True, count_include_pad=True)
    write_case(out, "torch_avgpool1d_ceil_last_window_in_padding", "AveragePool", x, np32(y), [],
               dict(kernel_shape=[4], strides=[3], pads=[2, 2], ceil_mode=1, count_include_pad=1))


def resizes(out, rng):
    x = rand(rng, 1, 3, 5, 7)

    def sizes(*s):
        return np.array(s, dtype=np.int64)

    none = ("roi", None)
    for name, size, mode, kwargs, attrs in [
        ("bilinear_up", (13, 10), "bilinear", dict(align_corners=False), dict(mode="linear")),
        ("bilinear_down", (3, 4), "bilinear", dict(align_corners=False), dict(mode="linear")),
        ("bilinear_align_corners", (9, 15), "bilinear", dict(align_corners=True),
         dict(mode="linear", coordinate_transformation_mode="align_corners")),
        ("bicubic_up", (11, 16), "bicubic", dict(align_corners=False), dict(mode="cubic")),
        ("bicubic_align_corners", (8, 12), "bicubic", dict(align_corners=True),
         dict(mode="cubic", coordinate_transformation_mode="align_corners")),
        ("bilinear_antialias_down", (2, 3), "bilinear", dict(align_corners=False, antialias=True),
         dict(mode="linear", antialias=1, exclude_outside=1)),
        ("bicubic_antialias_down", (3, 2), "bicubic", dict(align_corners=False, antialias=True),
         dict(mode="cubic", antialias=1, exclude_outside=1, cubic_coeff_a=-0.5)),
    ]:
        y = F.interpolate(t(x), size=size, mode=mode, **kwargs)
        write_case(out, f"torch_resize_{name}", "Resize", x, np32(y),
                   [none, ("scales", None), ("sizes", sizes(1, 3, *size))], attrs)
    x = rand(rng, 1, 2, 3, 4, 5)
    y = F.interpolate(t(x), size=(5, 7, 6), mode="trilinear", align_corners=False)
    write_case(out, "torch_resize_trilinear", "Resize", x, np32(y),
               [none, ("scales", None), ("sizes", sizes(1, 2, 5, 7, 6))], dict(mode="linear"))


def main(out_dir):
    rng = np.random.default_rng(20240607)
    convs(out_dir, rng)
    conv_transposes(out_dir, rng)
    pools(out_dir, rng)
    resizes(out_dir, rng)
    print(f"torch {torch.__version__}, onnx {onnx.__version__}: wrote {len(os.listdir(out_dir))} cases to {out_dir}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
