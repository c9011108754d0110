#!/usr/bin/env bash
# One GPU session's worth of checks, packed into the kit by devicekit.sh and run from the project
# root on the GPU machine (device tool: carry [".devicekit"]):
#
#   bash .devicekit/gpu-run.sh            results in $OUT (default ./gpu-out), a table printed last
#
# 1. io.srengine.cuda.BundledModelsBench: the bundled models at 1920x1080 output on the CUDA backend
#    in fp16/bf16/fp32 (CUDA events), plan.run and Session.run end to end; writes the fp32 outputs.
# 2. bench/pytorch_gpu_bench.py --what bundled: the same ONNX files executed with PyTorch ops,
#    checked against srengine's fp32 output, then timed (fp16 eager and CUDA graph, bf16, fp32).
# 3. The JUnit tests of io.srengine.cuda and CudaConformanceTest (ONNX cases from the kit's
#    onnx-testdata.tar.xz, the PyTorch fixtures in testdata/pytorch).
# 4. The command line: the sample image upscaled with --backend cuda (fp32 and fp16) and with the
#    cpu backend, the outputs compared pixel by pixel.
# 5. trt: whether TensorRT is on the machine (ldconfig's libnvinfer entries, Python's tensorrt
#    module), then the JUnit tests of io.srengine.tensorrt, which build FP32 and FP16 plans of the
#    bundled models and compare them with the reference backend, or skip with the reason.
# Each step has its own time limit so that one that hangs does not take the others' results.
# SRENGINE_GPU_STEPS selects steps by name (default: "cuda-bench pytorch-bench tests cli trt").
set -uo pipefail
kit=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$PWD/gpu-out}
work=${TMPDIR:-/tmp}/srengine-gpu
mkdir -p "$out" "$work/npy"
models=models/src/main/resources/io/srengine/models
if [ ! -d "$models" ]; then
  echo "gpu-run.sh: no $models here; run it from the project root" >&2
  exit 2
fi
# The ONNX files travel in the work tree; the kit's models classes leave them out to stay small.
mkdir -p "$kit/classes/models/classes/io/srengine/models"
cp "$models"/*.onnx "$kit/classes/models/classes/io/srengine/models/"
props="-Dsrengine.repo.root=$PWD"
if [ -s "$kit/onnx-testdata.tar.xz" ]; then
  mkdir -p "$work/onnx" && tar -C "$work/onnx" -xJf "$kit/onnx-testdata.tar.xz"
  props="$props -Dsrengine.onnx.testdata=$work/onnx"
fi
export JAVA_TOOL_OPTIONS="$props"
export PYTHONUNBUFFERED=1
{
  date -u '+%Y-%m-%d %H:%M:%S UTC'
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader
  python3 -c 'import torch, onnx; print("torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version(), "onnx", onnx.__version__)'
} > "$work/env.txt" 2>&1
cat "$work/env.txt"

steps=" ${SRENGINE_GPU_STEPS:-cuda-bench pytorch-bench tests cli trt} "
step() {  # step NAME SECONDS COMMAND...: runs COMMAND with a time limit, logs its exit status
  local name=$1 secs=$2; shift 2
  case "$steps" in *" $name "*) ;; *) return 0 ;; esac
  local t0=$SECONDS
  timeout -k 10 "$secs" "$@"
  local rc=$?
  echo "gpu-run.sh: $name exit $rc after $((SECONDS - t0)) s" | tee -a "$work/steps.txt"
}

step cuda-bench 140 bash -c "set -o pipefail; bash '$kit/run.sh' main io.srengine.cuda.BundledModelsBench '$out' '$work/npy' 2>&1 | tee '$out/cuda_bundled.log'"
step pytorch-bench 140 bash -c "set -o pipefail; python3 '$kit/bench/pytorch_gpu_bench.py' --what bundled --models '$models' --verify '$work/npy' --out '$out' 2>&1 | tee '$out/pytorch_bundled.log'"
step tests 240 bash -c "bash '$kit/run.sh' test --select-package io.srengine.cuda --select-class io.srengine.conformance.CudaConformanceTest --disable-ansi-colors > '$out/tests.log' 2>&1"
cli_step() {
  local sample=models/samples/astronaut.png
  for p in fp32 fp16; do
    bash "$kit/run.sh" main io.srengine.cli.Main upscale "$sample" "$out/astronaut-cuda-$p.png" \
        --backend cuda --precision "$p" || return 1
  done
  bash "$kit/run.sh" main io.srengine.cli.Main upscale "$sample" "$out/astronaut-cpu.png" --backend cpu || return 1
  python3 - "$out" <<'PY'
import sys
from PIL import Image
import numpy as np
out = sys.argv[1]
cpu = np.asarray(Image.open(f"{out}/astronaut-cpu.png"), dtype=np.int32)
for p in ("fp32", "fp16"):
    g = np.asarray(Image.open(f"{out}/astronaut-cuda-{p}.png"), dtype=np.int32)
    d = np.abs(g - cpu)
    print(f"cli {p}: {g.shape} max |cuda - cpu| = {d.max()} levels, pixels differing: {(d > 0).mean() * 100:.3f}%")
PY
}
step cli 120 bash -c "$(declare -f cli_step); kit='$kit' out='$out' cli_step > '$out/cli.log' 2>&1; rc=\$?; cat '$out/cli.log'; exit \$rc"
trt_step() {
  echo "ldconfig: $(ldconfig -p | grep -c nvinfer) libnvinfer entries"
  ldconfig -p | grep nvinfer
  python3 -c 'import tensorrt; print("python tensorrt", tensorrt.__version__)' 2>&1 | tail -1
  # A pip install keeps libnvinfer in the tensorrt_libs package, off the loader's path.
  local pip_libs
  pip_libs=$(python3 -c 'import os, tensorrt_libs; print(os.path.dirname(tensorrt_libs.__file__))' 2>/dev/null) &&
    echo "tensorrt_libs: $pip_libs" && export LD_LIBRARY_PATH="$pip_libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  bash "$kit/run.sh" test --select-package io.srengine.tensorrt --disable-ansi-colors
}
step trt 240 bash -c "$(declare -f trt_step); kit='$kit' trt_step > '$out/trt.log' 2>&1; rc=\$?; grep -E 'libnvinfer|tensorrt|tests (successful|skipped|failed)' '$out/trt.log'; exit \$rc"
[ -f target/conformance-cuda.txt ] && cp target/conformance-cuda.txt "$out/"
{
  cat "$work/env.txt" "$work/steps.txt"
  python3 "$kit/bench/gpu_summary.py" "$out"
} > "$out/summary.txt" 2>&1
echo
cat "$out/summary.txt"
