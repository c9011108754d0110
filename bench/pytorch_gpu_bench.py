#!/usr/bin/env python3
"""PyTorch timings on the GPU for the networks io.srengine.cuda.CudaBench runs on the CUDA backend.

Same architectures (tools/sr_architectures.py, which the PyTorch fixtures are exported from):
SRVGGNetCompact x4 (64 features, 32 body convs) and RRDBNet x4 (64 features, 23 RRDBs, growth 32),
random weights, one 1x3x720x1280 input. PyTorch at its fastest settings: channels_last,
cudnn.benchmark=True, inference_mode, the input already on the GPU in the timed dtype. Float32 runs
with TF32 disabled, because srengine's fp32 path computes in true fp32. Timing: CUDA events around
each forward after warm-up, median of the repetitions (like CudaBench).

    python3 bench/pytorch_gpu_bench.py [--out DIR] [--quick]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import torch
import torch.nn as nn

here = os.path.dirname(os.path.abspath(__file__))
for cand in (os.path.join(here, "..", "tools"), os.path.join(os.getcwd(), "tools")):
    if os.path.exists(os.path.join(cand, "sr_architectures.py")):
        sys.path.insert(0, cand)
        break
import sr_architectures as sr  # noqa: E402

H, W = 720, 1280


def timed(fn, warm=3, reps=25, budget_s=5.0):
    for _ in range(warm):
        fn()
    torch.cuda.synchronize()
    times = []
    end = time.time() + budget_s
    while len(times) < reps and (len(times) < 3 or time.time() < end):
        s = torch.cuda.Event(enable_timing=True)
        e = torch.cuda.Event(enable_timing=True)
        s.record()
        fn()
        e.record()
        e.synchronize()
        times.append(s.elapsed_time(e))
    return statistics.median(times), min(times), len(times)


def run(model, x):
    with torch.inference_mode():
        return model(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.environ.get("OUT", "."))
    ap.add_argument("--quick", action="store_true", help="fp16 only")
    args = ap.parse_args()
    torch.backends.cudnn.benchmark = True
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    dev = torch.device("cuda")
    try:
        driver = subprocess.run(["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"],
                                capture_output=True, text=True).stdout.strip()
    except OSError:
        driver = "?"
    info = {"gpu": torch.cuda.get_device_name(0), "driver": driver, "torch": torch.__version__,
            "cuda": torch.version.cuda, "cudnn": torch.backends.cudnn.version(),
            "date": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
    print("pytorch_gpu_bench:", info, flush=True)
    dtypes = {"fp16": torch.float16, "bf16": torch.bfloat16, "fp32": torch.float32}
    if args.quick:
        dtypes = {"fp16": torch.float16}
    torch.manual_seed(0)
    rows = []

    for name, dt in dtypes.items():
        conv = nn.Conv2d(64, 64, 3, padding=1).to(dev, dt, memory_format=torch.channels_last).eval()
        x = torch.randn(1, 64, H, W, device=dev, dtype=dt).to(memory_format=torch.channels_last)
        med, mn, n = timed(lambda: run(conv, x))
        gflop = 2.0 * H * W * 64 * 64 * 9 / 1e9
        rows.append(("conv3x3 64->64 720p", name, med, mn, n, "%.0f TFLOP/s" % (gflop / med)))
        print(rows[-1], flush=True)

    nets = [("srvgg_x4 64f/32c", lambda: sr.SRVGGNetCompact(num_feat=64, num_conv=32, scale=4)),
            ("rrdbnet_x4 64f/23b", lambda: sr.RRDBNet(nf=64, n_blocks=23, gc=32))]
    for label, make in nets:
        for name, dt in dtypes.items():
            model = make().to(dev, dt, memory_format=torch.channels_last).eval()
            x = torch.rand(1, 3, H, W, device=dev, dtype=dt).to(memory_format=torch.channels_last)
            try:
                med, mn, n = timed(lambda: run(model, x))
                rows.append((label + " 720p", name, med, mn, n, "peak %.0f MiB" % (torch.cuda.max_memory_allocated() / 2**20)))
            except torch.cuda.OutOfMemoryError as e:
                rows.append((label + " 720p", name, float("nan"), float("nan"), 0, "OOM " + str(e)[:60]))
            print(rows[-1], flush=True)
            del model, x
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats()

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "pytorch_bench.json"), "w") as f:
        json.dump({"info": info, "rows": rows}, f, indent=1)
    print("\n== PyTorch summary (%s, driver %s, torch %s, cuDNN %s) ==" % (info["gpu"], driver, info["torch"], info["cudnn"]))
    for r in rows:
        print("%-28s %-5s %9.3f ms (min %.3f, n=%d) %s" % r)


if __name__ == "__main__":
    main()
