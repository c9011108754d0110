#!/usr/bin/env python3
"""PyTorch timings on the GPU for the networks srengine's CUDA benchmarks run.

--what nets: the architectures io.srengine.cuda.CudaBench builds (tools/sr_architectures.py, which
the PyTorch fixtures are exported from): SRVGGNetCompact x4 (64 features, 32 body convs) and
RRDBNet x4 (64 features, 23 RRDBs, growth 32), random weights, one 1x3x720x1280 input.

--what bundled: the bundled models (models/src/main/resources/io/srengine/models/*.onnx) producing
1920x1080, as io.srengine.cuda.BundledModelsBench runs them. They exist only as ONNX, so
onnx_torch.OnnxTorch executes their graphs with PyTorch ops (cuDNN convolutions). With --verify DIR
(where BundledModelsBench wrote NAME_input.npy and NAME_srengine_fp32.npy) each model is first run
in fp32 on srengine's input and its output compared with srengine's; then timed on that input.
Besides eager mode, fp16 is also timed as a replayed CUDA graph (srengine replays one too).

PyTorch at its fastest settings: channels_last, cudnn.benchmark=True, inference_mode, the input
already on the GPU in the timed dtype. Float32 runs with TF32 disabled, because srengine's fp32 path
computes in true fp32. Timing: CUDA events around each forward after warm-up, median of the
repetitions (like CudaBench).

    python3 bench/pytorch_gpu_bench.py [--out DIR] [--quick] [--what all|nets|bundled]
                                       [--models DIR] [--verify DIR]
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

sys.path.insert(0, here)
import onnx_torch  # noqa: E402

BUNDLED = ["esrgan-slim-x2", "esrgan-slim-x3", "esrgan-slim-x4",
           "esrgan-medium-x2", "esrgan-medium-x3", "esrgan-medium-x4"]

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
    ap.add_argument("--what", choices=["all", "nets", "bundled"], default="all")
    ap.add_argument("--models", default="models/src/main/resources/io/srengine/models",
                    help="directory of the bundled models' ONNX files")
    ap.add_argument("--verify", default=None, help="directory with BundledModelsBench's .npy files")
    args = ap.parse_args()
    if not torch.cuda.is_available():
        print("pytorch_gpu_bench: no GPU: torch %s sees no CUDA device" % torch.__version__)
        sys.exit(1)
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

    if args.what in ("all", "nets"):
        nets(rows, dtypes, dev)
    if args.what in ("all", "bundled"):
        bundled(rows, dtypes, dev, args.models, args.verify)

    os.makedirs(args.out, exist_ok=True)
    name = "pytorch_bench.json" if args.what == "all" else "pytorch_%s.json" % args.what
    with open(os.path.join(args.out, name), "w") as f:
        json.dump({"info": info, "rows": rows}, f, indent=1)
    print("\n== PyTorch summary (%s, driver %s, torch %s, cuDNN %s) ==" % (info["gpu"], driver, info["torch"], info["cudnn"]))
    for r in rows:
        print("%-28s %-5s %9.3f ms (min %.3f, n=%d) %s" % tuple(r))


def nets(rows, dtypes, dev):
    for name, dt in dtypes.items():
        conv = nn.Conv2d(64, 64, 3, padding=1).to(dev, dt, memory_format=torch.channels_last).eval()
        x = torch.randn(1, 64, H, W, device=dev, dtype=dt).to(memory_format=torch.channels_last)
        med, mn, n = timed(lambda: run(conv, x))
        gflop = 2.0 * H * W * 64 * 64 * 9 / 1e9
        rows.append(("conv3x3 64->64 720p", name, med, mn, n, "%.0f TFLOP/s" % (gflop / med)))
        print(rows[-1], flush=True)

    archs = [("srvgg_x4 64f/32c", lambda: sr.SRVGGNetCompact(num_feat=64, num_conv=32, scale=4)),
            ("rrdbnet_x4 64f/23b", lambda: sr.RRDBNet(nf=64, n_blocks=23, gc=32))]
    for label, make in archs:
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


def graphed(fn):
    """fn captured as a CUDA graph after warm-up on a side stream (cuDNN picks its algorithms there)."""
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(3):
            fn()
    torch.cuda.current_stream().wait_stream(side)
    g = torch.cuda.CUDAGraph()
    with torch.cuda.graph(g):
        fn()
    return g


def bundled(rows, dtypes, dev, models_dir, verify_dir):
    """The bundled models at 1920x1080 output through onnx_torch, checked against srengine first."""
    for name in BUNDLED:
        path = os.path.join(models_dir, name + ".onnx")
        scale = int(name[-1])
        h, w = 1080 // scale, 1920 // scale
        label = "%s %dx%d" % (name, w, h)
        x32 = None
        if verify_dir and os.path.exists(os.path.join(verify_dir, name + "_input.npy")):
            x32 = onnx_torch.load_npy(os.path.join(verify_dir, name + "_input.npy"))
            want = onnx_torch.load_npy(os.path.join(verify_dir, name + "_srengine_fp32.npy")).to(dev)
            for vname, dt in (("fp32", torch.float32), ("fp16", torch.float16)):
                try:
                    ex = onnx_torch.OnnxTorch(path, dev, dt)
                    x = x32.to(dev, dt).contiguous(memory_format=torch.channels_last)
                    got = run(ex, x).float()
                    diff = (got - want).abs().max().item() if got.shape == want.shape else float("nan")
                    # fp32: both sides compute in float32 and differ only in summation order; fp16: a
                    # couple of 8-bit levels on an output in [0, 1].
                    ok = diff <= 1e-4 if vname == "fp32" else diff <= 2.0 / 255
                    msg = "check: max |PyTorch %s - srengine fp32| = %.3g, shape %s, %s" % (
                        vname, diff, list(got.shape), "OK" if ok else "MISMATCH")
                except Exception as e:
                    msg = "check: FAILED %s: %s" % (type(e).__name__, e)
                rows.append((label, vname, float("nan"), float("nan"), 0, msg))
                print(rows[-1], flush=True)
                ex = got = None
        else:
            print("%s: no srengine output to check against; timing on a random input" % name, flush=True)
            x32 = torch.rand(1, 3, h, w)
        for pname, dt in dtypes.items():
            try:
                ex = onnx_torch.OnnxTorch(path, dev, dt)
                x = x32.to(dev, dt).contiguous(memory_format=torch.channels_last)
                torch.cuda.reset_peak_memory_stats()
                med, mn, n = timed(lambda: run(ex, x), reps=50, budget_s=3.0)
                rows.append((label, pname, med, mn, n, "eager, %d nodes, peak %.0f MiB"
                             % (len(ex.nodes), torch.cuda.max_memory_allocated() / 2**20)))
                print(rows[-1], flush=True)
                if pname == "fp16":
                    g = graphed(lambda: run(ex, x))
                    med, mn, n = timed(g.replay, reps=50, budget_s=3.0)
                    rows.append((label, pname, med, mn, n, "CUDA graph replay"))
                    print(rows[-1], flush=True)
                    del g
            except Exception as e:  # one model's failure must not hide the others' numbers
                rows.append((label, pname, float("nan"), float("nan"), 0, "FAILED %s: %s" % (type(e).__name__, e)))
                print(rows[-1], flush=True)
            ex = x = None
            torch.cuda.empty_cache()


if __name__ == "__main__":
    main()
