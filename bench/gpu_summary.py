#!/usr/bin/env python3
"""One table from a GPU run of engine-cuda/gpu-run.sh: srengine (cuda_bundled.tsv from
io.srengine.cuda.BundledModelsBench) beside PyTorch (pytorch_bundled.json from
pytorch_gpu_bench.py --what bundled) for the bundled models at 1920x1080 output, then the test
results (tests.log from the JUnit console, conformance-cuda.txt).

    python3 bench/gpu_summary.py DIR
"""
import json
import math
import os
import re
import sys


def read_cuda(path):
    rows = {}
    if not os.path.exists(path):
        return rows
    with open(path) as f:
        next(f, None)
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) >= 8:
                rows[(p[0], p[2], p[3])] = (float(p[4]), p[7])
    return rows


def read_torch(path):
    rows, checks = {}, {}
    if not os.path.exists(path):
        return rows, checks
    with open(path) as f:
        data = json.load(f)
    for label, prec, med, _mn, _n, extra in data["rows"]:
        name = label.split(" ")[0]
        if extra.startswith("check:"):
            checks[(name, prec)] = extra
        elif "CUDA graph" in extra:
            rows[(name, prec + "-graph")] = med
        else:
            rows[(name, prec)] = med
    return rows, checks


def short(check):
    m = re.match(r"check: max \|PyTorch \w+ - srengine fp32\| = (\S+), shape \[[^]]*\], (\w+)", check)
    return "%s %s" % (m.group(1), m.group(2)) if m else check[:80]


def fmt(v):
    return "   -   " if v is None or (isinstance(v, float) and math.isnan(v)) else "%7.3f" % v


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "."
    cuda = read_cuda(os.path.join(d, "cuda_bundled.tsv"))
    torch_rows, checks = read_torch(os.path.join(d, "pytorch_bundled.json"))
    order = ["esrgan-slim-x2", "esrgan-slim-x3", "esrgan-slim-x4", "esrgan-medium-x2", "esrgan-medium-x3", "esrgan-medium-x4"]
    names = sorted({k[0] for k in cuda} | {k[0] for k in torch_rows},
                   key=lambda n: (order.index(n) if n in order else len(order), n))
    print("== bundled models, 1920x1080 output, ms (CUDA events; median) ==")
    print("%-17s %7s %7s %7s | %7s %7s %7s %7s | %6s %8s | %s" % (
        "model", "sr fp16", "sr bf16", "sr fp32", "pt fp16", "pt f16g", "pt bf16", "pt fp32", "x fp16", "Sess.run",
        "max |PyTorch - srengine fp32|"))
    for n in names:
        sr = {p: cuda.get((n, p, "device"), (None, ""))[0] for p in ("FP16", "BF16", "FP32")}
        pt = {p: torch_rows.get((n, p)) for p in ("fp16", "fp16-graph", "bf16", "fp32")}
        best_pt = min([v for v in (pt["fp16"], pt["fp16-graph"]) if v and not math.isnan(v)], default=None)
        speed = "%5.2fx" % (best_pt / sr["FP16"]) if best_pt and sr["FP16"] and not math.isnan(sr["FP16"]) else "   -  "
        sess = cuda.get((n, "FP16", "Session.run"), (None, ""))[0]
        chk = "; ".join("%s %s" % (p, short(checks[(n, p)])) for p in ("fp32", "fp16") if (n, p) in checks) or "not checked"
        print("%-17s %s %s %s | %s %s %s %s | %6s %s | %s" % (
            n, fmt(sr["FP16"]), fmt(sr["BF16"]), fmt(sr["FP32"]), fmt(pt["fp16"]), fmt(pt["fp16-graph"]),
            fmt(pt["bf16"]), fmt(pt["fp32"]), speed, fmt(sess) + " ", chk))
    print("(x fp16 = best PyTorch fp16 time, eager or CUDA graph, / srengine fp16; Sess.run = Session.run fp16"
          " end to end with host copies)")
    failed = [k for k, v in cuda.items() if v[1].startswith("FAILED")]
    for k in failed:
        print("srengine FAILED:", k, cuda[k][1][:200])
    log = os.path.join(d, "tests.log")
    if os.path.exists(log):
        with open(log, errors="replace") as f:
            text = f.read()
        print("== JUnit (io.srengine.cuda + CudaConformanceTest) ==")
        for key in ("tests found", "tests successful", "tests skipped", "tests aborted", "tests failed"):
            m = re.search(r"\[\s*(\d+) " + key, text)
            print("  %-17s %s" % (key, m.group(1) if m else "?"))
        for line in text.splitlines():
            if "✘" in line or "[X]" in line:
                print("  FAILED:", line.strip()[:160])
    conf = os.path.join(d, "conformance-cuda.txt")
    if os.path.exists(conf):
        with open(conf) as f:
            lines = f.read().splitlines()
        print("==", lines[0].lstrip("# ") if lines else "conformance-cuda.txt is empty", "==")
        for line in lines[1:]:
            if re.match(r"^[\w-]+/FAIL ", line):
                print("  ", line[:200])


if __name__ == "__main__":
    main()
