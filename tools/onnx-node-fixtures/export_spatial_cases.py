#!/usr/bin/env python3
"""Exports ONNX's own backend node test cases for srengine's spatial ops that Debian's
libonnx-testdata (an older ONNX) lacks: Resize antialias, axes, keep_aspect_ratio_policy and
half_pixel_symmetric; pool dilations and ceil_mode corner cases; grouped ConvTranspose.

The expected outputs come from ONNX's reference implementation, as in ONNX's own test data.
Needs an ONNX release with these cases (1.16 or later), e.g. in a virtual environment:

    python3 -m venv /tmp/onnx-venv && /tmp/onnx-venv/bin/pip install onnx
    /tmp/onnx-venv/bin/python tools/onnx-node-fixtures/export_spatial_cases.py \
        engine-api/src/test/resources/onnx-node /usr/share/libonnx-testdata/data/node

Writes one directory per case (model.onnx, test_data_set_0/{input,output}_N.pb), the layout of
ONNX's backend test data, skipping cases the second directory already has.
"""
import os
import sys

import onnx
from onnx import numpy_helper
from onnx.backend.test.case import node

OPS = {"Conv", "ConvTranspose", "AveragePool", "MaxPool", "GlobalAveragePool", "GlobalMaxPool",
       "BatchNormalization", "ReduceMean", "Resize", "Upsample"}


def write_tensor(path, value, name):
    t = value if isinstance(value, onnx.TensorProto) else numpy_helper.from_array(value, name)
    with open(path, "wb") as f:
        f.write(t.SerializeToString())


def main(out_dir, existing_dir):
    written = []
    for case in node.collect_testcases():
        if not {n.op_type for n in case.model.graph.node} <= OPS:
            continue
        if os.path.isdir(os.path.join(existing_dir, case.name)):
            continue
        case_dir = os.path.join(out_dir, case.name)
        os.makedirs(case_dir, exist_ok=True)
        with open(os.path.join(case_dir, "model.onnx"), "wb") as f:
            f.write(case.model.SerializeToString())
        for i, (inputs, outputs) in enumerate(case.data_sets):
            data_dir = os.path.join(case_dir, f"test_data_set_{i}")
            os.makedirs(data_dir, exist_ok=True)
            for j, x in enumerate(inputs):
                write_tensor(os.path.join(data_dir, f"input_{j}.pb"), x, case.model.graph.input[j].name)
            for j, y in enumerate(outputs):
                write_tensor(os.path.join(data_dir, f"output_{j}.pb"), y, case.model.graph.output[j].name)
        written.append(case.name)
    print(f"onnx {onnx.__version__}: wrote {len(written)} cases to {out_dir}")
    for name in written:
        print("  " + name)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
