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
ONNX's backend test data, skipping cases the second directory already has at an opset srengine reads
(6 or later; its GlobalAveragePool/GlobalMaxPool cases are opset 1). Models newer than srengine's
newest opset are converted down with onnx.version_converter; for these ops the newer opsets only
add element types.
"""
import os
import sys

import onnx
from onnx import numpy_helper, version_converter
from onnx.backend.test.case import node

MIN_OPSET = 6
MAX_OPSET = 21

OPS = {"Conv", "ConvTranspose", "AveragePool", "MaxPool", "GlobalAveragePool", "GlobalMaxPool",
       "BatchNormalization", "ReduceMean", "Resize", "Upsample"}


def write_tensor(path, value, name):
    t = value if isinstance(value, onnx.TensorProto) else numpy_helper.from_array(value, name)
    with open(path, "wb") as f:
        f.write(t.SerializeToString())


def opset(model):
    return max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))


def readable_elsewhere(existing_dir, name):
    path = os.path.join(existing_dir, name, "model.onnx")
    return os.path.isfile(path) and opset(onnx.load(path)) >= MIN_OPSET


def downgrade(model):
    """The model at MAX_OPSET: by ONNX's converter, or, where it has no adapter (GlobalMaxPool), by
    relabelling after checking that the op's schema differs only in element types."""
    try:
        return version_converter.convert_version(model, MAX_OPSET)
    except RuntimeError:
        for n in model.graph.node:
            new = onnx.defs.get_schema(n.op_type, opset(model))
            old = onnx.defs.get_schema(n.op_type, MAX_OPSET)
            same = (sorted(new.attributes) == sorted(old.attributes)
                    and [i.name for i in new.inputs] == [i.name for i in old.inputs]
                    and [o.name for o in new.outputs] == [o.name for o in old.outputs])
            if not same:
                raise
        relabelled = onnx.ModelProto()
        relabelled.CopyFrom(model)
        for o in relabelled.opset_import:
            if o.domain in ("", "ai.onnx"):
                o.version = MAX_OPSET
        return relabelled


def main(out_dir, existing_dir):
    written = []
    for case in node.collect_testcases():
        if not {n.op_type for n in case.model.graph.node} <= OPS:
            continue
        if readable_elsewhere(existing_dir, case.name):
            continue
        model = case.model
        if opset(model) > MAX_OPSET:
            model = downgrade(model)
        case_dir = os.path.join(out_dir, case.name)
        os.makedirs(case_dir, exist_ok=True)
        with open(os.path.join(case_dir, "model.onnx"), "wb") as f:
            f.write(model.SerializeToString())
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
