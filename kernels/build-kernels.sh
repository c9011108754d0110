#!/usr/bin/env bash
# Builds the CUDA kernels into class-path resources (run by Maven in generate-resources).
#
#   build-kernels.sh SRC_DIR OUT_DIR LOG_DIR [auto|skip]
#
# Always copies the sources (*.cu, *.cuh) to OUT_DIR, where the engine compiles them with NVRTC
# when no prebuilt binary fits the device. When nvcc is found (NVCC, CUDA_HOME/bin, PATH,
# /usr/local/cuda/bin, /usr/local/bin) and the mode is not "skip", every .cu is also compiled to
#   <op>.sm_80.cubin  <op>.sm_90.cubin  <op>.compute_80.ptx
# with warnings as errors; the resource reports of ptxas go to LOG_DIR/<op>.<target>.log.
# A target is rebuilt only when a source is newer than it.
set -euo pipefail

src=${1:?source dir}
out=${2:?output dir}
logs=${3:?log dir}
mode=${4:-auto}

mkdir -p "$out" "$logs"
cp -p "$src"/*.cu "$src"/*.cuh "$out"/

nvcc=""
for c in "${NVCC:-}" "${CUDA_HOME:+$CUDA_HOME/bin/nvcc}" "$(command -v nvcc || true)" /usr/local/cuda/bin/nvcc /usr/local/bin/nvcc; do
  if [ -n "$c" ] && [ -x "$c" ]; then nvcc=$c; break; fi
done
if [ "$mode" = skip ]; then
  echo "build-kernels: nvcc skipped on request; shipping CUDA sources only (NVRTC compiles them at run time)"
  exit 0
fi
if [ -z "$nvcc" ]; then
  echo "build-kernels: nvcc not found; shipping CUDA sources only (NVRTC compiles them at run time)"
  exit 0
fi

# Headers are shared, so a changed header rebuilds everything.
newest_header=$(ls -t "$src"/*.cuh | head -1)
jobs=()
for cu in "$src"/*.cu; do
  op=$(basename "$cu" .cu)
  for target in sm_80 sm_90 compute_80; do
    case $target in
      sm_*) file="$out/$op.$target.cubin"; kind=(-cubin -arch="$target") ;;
      *) file="$out/$op.$target.ptx"; kind=(-ptx -arch="$target") ;;
    esac
    if [ -f "$file" ] && [ "$file" -nt "$cu" ] && [ "$file" -nt "$newest_header" ]; then continue; fi
    jobs+=("$op|$target|$file|${kind[*]}")
  done
done
if [ ${#jobs[@]} -eq 0 ]; then
  echo "build-kernels: kernels up to date ($("$nvcc" --version | tail -1))"
  exit 0
fi

compile() {
  IFS='|' read -r op target file kind <<<"$1"
  local log="$logs/$op.$target.log"
  # -Werror all-warnings covers nvcc and the front end; ptxas warnings (e.g. a too-large stack
  # frame) fail too. -Xptxas -v writes registers / shared memory / spills to the log.
  if ! "$nvcc" -std=c++17 -O3 $kind -Werror all-warnings -Xptxas -Werror -Xptxas -v \
        -o "$file.tmp" "$src/$op.cu" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$file.tmp"
    echo "build-kernels: FAILED $op ($target)" >&2
    return 1
  fi
  mv "$file.tmp" "$file"
}
export -f compile
export nvcc src logs

parallel=$(nproc 2>/dev/null || echo 2)
start=$(date +%s)
printf '%s\n' "${jobs[@]}" | xargs -d '\n' -P "$parallel" -I{} bash -c 'compile "$@"' _ {}
echo "build-kernels: compiled ${#jobs[@]} target(s) with $("$nvcc" --version | tail -1 | sed 's/^Build //') in $(( $(date +%s) - start )) s"
