#!/usr/bin/env bash
# Rebuilds srengine's own models from scratch: fetch the photographs, train the nine networks,
# export them to ONNX with their evaluation numbers into models/. Usage:
#
#   bash tools/train/run_all.sh [prepare] [train] [export]     (no argument: all three, in order)
#
# On the CPU the nine runs go in two queues of one thread each (one thread per run uses two cores
# better than two threads per run for networks this small); DEVICE=cuda runs them one by one on the
# GPU. The step counts below are those of the bundled models; STEPS_SCALE=0.1 makes a quick trial.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-/usr/bin/python3}
DEVICE=${DEVICE:-cpu}
RUNS=${RUNS:-tools/train/runs}
STEPS_SCALE=${STEPS_SCALE:-1}
stages=("$@"); [ ${#stages[@]} -eq 0 ] && stages=(prepare train export)

steps() { "$PY" -c "print(max(1, round($1 * $STEPS_SCALE)))"; }
train() {  # run-name arch scale steps [train.py options]
    local name=$1 arch=$2 scale=$3 n=$4; shift 4
    "$PY" tools/train/train.py --arch "$arch" --scale "$scale" --steps "$(steps "$n")" --device "$DEVICE" \
        --threads "$THREADS" --run "$RUNS/$name" "$@" > "$RUNS/$name.out" 2>&1 \
        || { echo "training $name failed; see $RUNS/$name.out" >&2; return 1; }
    tail -n 1 "$RUNS/$name.out"
}
# FSRCNN trains slowly from scratch: x2 gets 8,000 steps, then a second cosine cycle of 6,000 at half
# the learning rate; x3 and x4 start from the finished x2 network, as the FSRCNN paper fine-tunes one
# scale's network for the others (all weights carry over; only the deconvolution's stride changes).
queue_a() { train srvgg-x4 srvgg 4 12000 && train srvgg-x3 srvgg 3 12000; }
queue_b() { train espcn-x2 espcn 2 2500 && train espcn-x3 espcn 3 2500 && train espcn-x4 espcn 4 2500 \
    && train fsrcnn-x2-stage1 fsrcnn 2 8000 \
    && train fsrcnn-x2 fsrcnn 2 6000 --lr 5e-4 --init-from "$RUNS/fsrcnn-x2-stage1" \
    && train fsrcnn-x3 fsrcnn 3 3000 --init-from "$RUNS/fsrcnn-x2" \
    && train fsrcnn-x4 fsrcnn 4 3000 --init-from "$RUNS/fsrcnn-x2" \
    && train srvgg-x2 srvgg 2 12000; }

for stage in "${stages[@]}"; do
    case $stage in
    prepare) "$PY" tools/train/prepare_data.py ;;
    train)
        mkdir -p "$RUNS"
        if [ "$DEVICE" = cpu ]; then
            THREADS=1
            queue_a & a=$!
            queue_b & b=$!
            wait $a; wait $b
        else
            THREADS=$(nproc); queue_a; queue_b
        fi ;;
    export)
        for run in srvgg-x2 srvgg-x3 srvgg-x4 espcn-x2 espcn-x3 espcn-x4 fsrcnn-x2 fsrcnn-x3 fsrcnn-x4; do
            "$PY" tools/train/export_model.py --run "$RUNS/$run"
        done ;;
    *) echo "unknown stage $stage (prepare, train or export)" >&2; exit 2 ;;
    esac
done
