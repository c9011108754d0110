#!/usr/bin/env python3
"""Writes single-node ONNX test cases for the ops transformer exports use, with PyTorch's outputs
(computed in float64, stored as float32) as the expected values: Gelu (opset 20, newer than Debian's
ONNX test data), Erf over its whole range, LayerNormalization with other epsilons and axes, Softmax
and LogSoftmax on inner axes, MatMul with broadcasting and 1-D operands, Gemm with transposes,
alpha and beta, the Einsum forms attention uses, ReduceL2/ReduceSum/ReduceMax with axes inputs, and
Mod with negative operands. Layout as ONNX's backend tests (model.onnx, test_data_set_0/input_N.pb,
output_0.pb).

    /usr/bin/python3 tools/pytorch-transformer-op-fixtures/generate.py \\
        engine-api/src/test/resources/pytorch-transformer-node

Needs torch and onnx (Debian python3-torch and python3-onnx); the seed is fixed, so reruns give the
same files.
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from onnx import helper, numpy_helper, TensorProto

NP_TO_ONNX = {np.dtype(np.float32): TensorProto.FLOAT, np.dtype(np.int64): TensorProto.INT64,
              np.dtype(np.int32): TensorProto.INT32}


def write_case(out_dir, name, op, inputs, y, opset, consts=(), attrs=None):
    """One node `op` reading the graph inputs [(name, array)] and constants [(name, array)], producing y."""
    case = os.path.join(out_dir, name)
    os.makedirs(os.path.join(case, "test_data_set_0"), exist_ok=True)
    inits = [numpy_helper.from_array(v, n) for n, v in consts]
    node = helper.make_node(op, [n for n, _ in inputs] + [n for n, _ in consts], ["y"], name=name, **(attrs or {}))
    graph = helper.make_graph(
        [node], name,
        [helper.make_tensor_value_info(n, NP_TO_ONNX[v.dtype], list(v.shape)) for n, v in inputs],
        [helper.make_tensor_value_info("y", NP_TO_ONNX[y.dtype], list(y.shape))],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    # No onnx.checker: Debian's onnx 1.12 does not know Gelu (opset 20).
    with open(os.path.join(case, "model.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    for i, (n, v) in enumerate(inputs):
        with open(os.path.join(case, "test_data_set_0", f"input_{i}.pb"), "wb") as f:
            f.write(numpy_helper.from_array(v, n).SerializeToString())
    with open(os.path.join(case, "test_data_set_0", "output_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(y, "y").SerializeToString())


def rand(rng, *shape, scale=1.0):
    return (rng.uniform(-1, 1, size=shape) * scale).astype(np.float32)


def t(a):
    return torch.from_numpy(a).double()


def f32(v):
    return v.numpy().astype(np.float32)


def activations(out, rng):
    # A dense sweep through the region where GELU bends, plus random values well outside it.
    x = np.concatenate([np.linspace(-6, 6, 241), rand(rng, 55, scale=12)]).astype(np.float32).reshape(8, 37)
    write_case(out, "torch_gelu_exact", "Gelu", [("x", x)], f32(F.gelu(t(x))), 20)
    write_case(out, "torch_gelu_tanh", "Gelu", [("x", x)], f32(F.gelu(t(x), approximate="tanh")), 20,
               attrs=dict(approximate="tanh"))
    e = np.concatenate([np.linspace(-7, 7, 281), rand(rng, 15, scale=1e-3), [0.0, -0.0, 30.0, -30.0]])
    e = e.astype(np.float32).reshape(4, 75)
    write_case(out, "torch_erf_wide_range", "Erf", [("x", e)], f32(torch.erf(t(e))), 13)


def normalisations(out, rng):
    x, w, b = rand(rng, 2, 37, 19, scale=3), rand(rng, 19), rand(rng, 19)
    y = F.layer_norm(t(x), (19,), t(w), t(b), eps=1e-6)
    write_case(out, "torch_layernorm_last_eps1e-6", "LayerNormalization", [("x", x)], f32(y), 17,
               [("w", w), ("b", b)], dict(axis=-1, epsilon=1e-6))
    x, w = rand(rng, 3, 5, 6, 7) + 2, rand(rng, 6, 7)
    y = F.layer_norm(t(x), (6, 7), t(w), None, eps=1e-5)
    write_case(out, "torch_layernorm_two_axes_no_bias", "LayerNormalization", [("x", x)], f32(y), 17,
               [("w", w)], dict(axis=2))
    x = rand(rng, 2, 9, 5, scale=20)
    write_case(out, "torch_softmax_axis1", "Softmax", [("x", x)], f32(F.softmax(t(x), dim=1)), 13, attrs=dict(axis=1))
    write_case(out, "torch_logsoftmax_axis0", "LogSoftmax", [("x", x)], f32(F.log_softmax(t(x), dim=0)), 13,
               attrs=dict(axis=0))
    # Opset 11 Softmax on the last axis (same meaning as 13) and on axis 1 (flattens from axis 1).
    write_case(out, "torch_softmax_opset11_last", "Softmax", [("x", x)], f32(F.softmax(t(x), dim=-1)), 11,
               attrs=dict(axis=2))
    flat = F.softmax(t(x).reshape(2, 45), dim=1).reshape(2, 9, 5)
    write_case(out, "torch_softmax_opset11_axis1_flattens", "Softmax", [("x", x)], f32(flat), 11, attrs=dict(axis=1))


def products(out, rng):
    a, b = rand(rng, 2, 1, 5, 7), rand(rng, 3, 7, 4)
    write_case(out, "torch_matmul_broadcast_4d_3d", "MatMul", [("a", a), ("b", b)], f32(t(a) @ t(b)), 13)
    a, b = rand(rng, 7), rand(rng, 2, 7, 3)
    write_case(out, "torch_matmul_vector_left", "MatMul", [("a", a), ("b", b)], f32(t(a) @ t(b)), 13)
    a, b = rand(rng, 2, 3, 7), rand(rng, 7)
    write_case(out, "torch_matmul_vector_right", "MatMul", [("a", a), ("b", b)], f32(t(a) @ t(b)), 13)
    a, b, c = rand(rng, 6, 5), rand(rng, 4, 6), rand(rng, 4)
    y = 0.5 * (t(a).T @ t(b).T) + 1.5 * t(c)
    write_case(out, "torch_gemm_transposed_alpha_beta", "Gemm", [("a", a), ("b", b)], f32(y), 13,
               [("c", c)], dict(transA=1, transB=1, alpha=0.5, beta=1.5))
    q, k = rand(rng, 2, 3, 6, 5), rand(rng, 2, 3, 8, 5)
    write_case(out, "torch_einsum_scores", "Einsum", [("q", q), ("k", k)],
               f32(torch.einsum("bhid,bhjd->bhij", t(q), t(k))), 13, attrs=dict(equation="bhid,bhjd->bhij"))
    p, v = rand(rng, 2, 3, 6, 8), rand(rng, 2, 3, 8, 5)
    write_case(out, "torch_einsum_weighted_values", "Einsum", [("p", p), ("v", v)],
               f32(torch.einsum("bhij,bhjd->bhid", t(p), t(v))), 13, attrs=dict(equation="bhij,bhjd->bhid"))
    a, b = rand(rng, 2, 4, 3), rand(rng, 4, 5)
    write_case(out, "torch_einsum_implicit_output", "Einsum", [("a", a), ("b", b)],
               f32(torch.einsum("bji,jk", t(a), t(b))), 13, attrs=dict(equation="bji,jk"))
    a = rand(rng, 3, 4, 4)
    write_case(out, "torch_einsum_ellipsis_trace", "Einsum", [("a", a)],
               f32(torch.einsum("...ii->...", t(a))), 13, attrs=dict(equation="...ii->..."))


def reductions(out, rng):
    x = rand(rng, 2, 3, 9, 5, scale=4)
    axes = np.array([-1], dtype=np.int64)
    write_case(out, "torch_reduce_l2_last_keepdims", "ReduceL2", [("x", x)],
               f32(torch.linalg.vector_norm(t(x), dim=-1, keepdim=True)), 18, [("axes", axes)], dict(keepdims=1))
    axes = np.array([1, 3], dtype=np.int64)
    write_case(out, "torch_reduce_sum_two_axes", "ReduceSum", [("x", x)], f32(t(x).sum(dim=(1, 3))), 13,
               [("axes", axes)], dict(keepdims=0))
    write_case(out, "torch_reduce_max_axis2", "ReduceMax", [("x", x)], f32(t(x).amax(dim=2, keepdim=True)), 18,
               [("axes", np.array([2], dtype=np.int64))])
    a = rng.integers(-20, 20, size=(4, 7)).astype(np.int64)
    b = rng.choice([-7, -3, -1, 1, 2, 5], size=(7,)).astype(np.int64)
    write_case(out, "torch_mod_int_remainder", "Mod", [("a", a), ("b", b)],
               torch.remainder(torch.from_numpy(a), torch.from_numpy(b)).numpy(), 13)
    fa, fb = rand(rng, 4, 7, scale=10), rand(rng, 7, scale=3)
    write_case(out, "torch_mod_float_fmod", "Mod", [("a", fa), ("b", fb)], f32(torch.fmod(t(fa), t(fb))), 13,
               attrs=dict(fmod=1))


def main(out):
    rng = np.random.default_rng(20250117)
    activations(out, rng)
    normalisations(out, rng)
    products(out, rng)
    reductions(out, rng)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
