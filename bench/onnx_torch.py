"""Runs an ONNX graph with PyTorch operators, for timing srengine's bundled models against PyTorch.

The bundled models exist only as ONNX files, so there is no PyTorch module to time. This executor
reads the graph with the `onnx` package and calls one PyTorch function per node, in graph order:
Conv through torch.nn.functional.conv2d (cuDNN, with the weights cast once to the run's dtype and
stored channels_last), the elementwise ops as tensor arithmetic, Resize through interpolate. It
does what a hand-written PyTorch port of these networks would do in eager mode, no fusion, nothing
precomputed besides casting the weights. Only the ops and attribute values the executor implements
exactly are accepted; anything else raises NotImplementedError naming the node, so a graph it
cannot run faithfully is never timed.
"""
import math

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _s(v):
    return v.decode() if isinstance(v, bytes) else v


class OnnxTorch:
    """The graph of an ONNX file as a callable on one input tensor (NCHW, any memory format)."""

    def __init__(self, path, device, dtype, channels_last=True):
        model = onnx.load(path)
        g = model.graph
        self.dtype = dtype
        self.channels_last = channels_last
        self.input = [i.name for i in g.input if i.name not in {t.name for t in g.initializer}][0]
        self.output = g.output[0].name
        self.consts = {}
        self.arrays = {}
        for t in g.initializer:
            a = numpy_helper.to_array(t)
            self.arrays[t.name] = a
            if a.dtype.kind == "f":
                self.consts[t.name] = torch.from_numpy(a.copy()).to(device, dtype)
            else:
                self.consts[t.name] = torch.from_numpy(a.copy()).to(device)
        self.nodes = []
        for n in g.node:
            if n.op_type == "Constant":
                a = numpy_helper.to_array(_attrs(n)["value"])
                self.arrays[n.output[0]] = a
                self.consts[n.output[0]] = torch.from_numpy(a.copy()).to(device, dtype if a.dtype.kind == "f" else None)
                continue
            self.nodes.append((n.op_type, list(n.input), list(n.output), _attrs(n), n.name))
        for op, ins, outs, at, name in self.nodes:
            self._check(op, ins, at, name)
            if op == "Conv":
                w = self.consts[ins[1]]
                if channels_last:
                    self.consts[ins[1]] = w.contiguous(memory_format=torch.channels_last)
            elif op == "Resize":
                # Read once here from the file's arrays: no device-to-host copy inside the timed run.
                if len(ins) >= 3 and ins[2]:
                    at["_scales"] = [float(v) for v in self.arrays[ins[2]]]
                else:
                    at["_sizes"] = [int(v) for v in self.arrays[ins[3]]]
        self.op_counts = {}
        for op, *_ in self.nodes:
            self.op_counts[op] = self.op_counts.get(op, 0) + 1
        # Drop each intermediate after its last reader, as an eager PyTorch module's locals go out of
        # scope, so that peak memory and the caching allocator see what a hand port would do.
        last = {}
        for i, (_, ins, _, _, _) in enumerate(self.nodes):
            for v in ins:
                if v and v not in self.consts:
                    last[v] = i
        self.free_after = [[] for _ in self.nodes]
        for v, i in last.items():
            if v != self.output and v != self.input:
                self.free_after[i].append(v)

    def _check(self, op, ins, at, name):
        why = None
        if op not in _OPS:
            why = "no PyTorch mapping for " + op
        elif op == "Conv":
            if ins[1] not in self.consts:
                why = "weights are not constant"
            elif at.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
                why = "auto_pad is not implemented"
            elif len(at.get("kernel_shape", [0, 0])) != 2:
                why = "only 2-D convolution is implemented"
        elif op == "Resize":
            mode = _s(at.get("mode", "nearest"))
            ctm = _s(at.get("coordinate_transformation_mode", "half_pixel"))
            nm = _s(at.get("nearest_mode", "round_prefer_floor"))
            if mode != "nearest" or ctm != "asymmetric" or nm != "floor":
                why = "only mode=nearest, asymmetric, floor is implemented (got %s, %s, %s)" % (mode, ctm, nm)
            elif len(ins) >= 3 and ins[2]:
                if ins[2] not in self.arrays:
                    why = "scales must be constant"
                else:
                    s = [float(v) for v in self.arrays[ins[2]]]
                    if s[0] != 1 or s[1] != 1 or any(v != math.floor(v) or v < 1 for v in s[2:]):
                        why = "only integer spatial upscaling is implemented (scales %s)" % s
            elif not (len(ins) >= 4 and ins[3] in self.arrays):
                why = "neither constant scales nor constant sizes"
        elif op == "Concat" and at.get("axis") not in (1, -3):
            why = "only channel concatenation is implemented"
        if why:
            raise NotImplementedError("node %s (%s): %s" % (name, op, why))

    def __call__(self, x):
        env = dict(self.consts)
        env[self.input] = x
        for k, (op, ins, outs, at, _) in enumerate(self.nodes):
            args = [env[i] if i else None for i in ins]
            env[outs[0]] = _OPS[op](args, at)
            for v in self.free_after[k]:
                del env[v]
        return env[self.output]


def _conv(a, at):
    x, w = a[0], a[1]
    b = a[2] if len(a) > 2 else None
    pads = list(at.get("pads", [0, 0, 0, 0]))
    stride = tuple(at.get("strides", [1, 1]))
    dil = tuple(at.get("dilations", [1, 1]))
    if pads[0] == pads[2] and pads[1] == pads[3]:
        return F.conv2d(x, w, b, stride, (pads[0], pads[1]), dil, at.get("group", 1))
    x = F.pad(x, (pads[1], pads[3], pads[0], pads[2]))
    return F.conv2d(x, w, b, stride, 0, dil, at.get("group", 1))


def _resize(a, at):
    x = a[0]
    if "_scales" in at:
        s = at["_scales"]
        size = (int(x.shape[2] * s[2]), int(x.shape[3] * s[3]))
    else:
        size = tuple(at["_sizes"][2:])
        if at["_sizes"][:2] != list(x.shape[:2]):
            raise NotImplementedError("Resize of batch or channel axes")
    # PyTorch's "nearest" picks floor(dst * in / out): ONNX's asymmetric + floor for these sizes.
    return F.interpolate(x, size=size, mode="nearest")


def _clip(a, at):
    lo = a[1] if len(a) > 1 and a[1] is not None else at.get("min")
    hi = a[2] if len(a) > 2 and a[2] is not None else at.get("max")
    return torch.clamp(a[0], lo, hi)


def _depth_to_space(a, at):
    x, r = a[0], at["blocksize"]
    mode = _s(at.get("mode", "DCR"))
    if mode == "CRD":
        return F.pixel_shuffle(x, r)
    n, c, h, w = x.shape
    y = x.reshape(n, r, r, c // (r * r), h, w).permute(0, 3, 4, 1, 5, 2)
    return y.reshape(n, c // (r * r), h * r, w * r)


def _prelu(a, at):
    return torch.where(a[0] >= 0, a[0], a[0] * a[1])


_OPS = {
    "Conv": _conv,
    "Relu": lambda a, at: F.relu(a[0]),
    "LeakyRelu": lambda a, at: F.leaky_relu(a[0], at.get("alpha", 0.01)),
    "PRelu": _prelu,
    "Sigmoid": lambda a, at: torch.sigmoid(a[0]),
    "Add": lambda a, at: a[0] + a[1],
    "Sub": lambda a, at: a[0] - a[1],
    "Mul": lambda a, at: a[0] * a[1],
    "Div": lambda a, at: a[0] / a[1],
    "Clip": _clip,
    "Concat": lambda a, at: torch.cat(a, dim=1),
    "Resize": _resize,
    "DepthToSpace": _depth_to_space,
    "Identity": lambda a, at: a[0],
}


def load_npy(path):
    return torch.from_numpy(np.load(path))
