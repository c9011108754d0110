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
train() {  # arch scale steps
    "$PY" tools/train/train.py --arch "$1" --scale "$2" --steps "$(steps "$3")" --device "$DEVICE" \
        --threads "$THREADS" --run "$RUNS/$1-x$2" > "$RUNS/$1-x$2.out" 2>&1 \
        || { echo "training $1-x$2 failed; see $RUNS/$1-x$2.out" >&2; return 1; }
    tail -n 1 "$RUNS/$1-x$2.out"
}
queue_a() { train srvgg 4 9000; }
queue_b() { train espcn 2 2500 && train espcn 3 2500 && train espcn 4 2500 \
    && train fsrcnn 2 2000 && train fsrcnn 3 2000 && train fsrcnn 4 2000 && train srvgg 2 3000 && train srvgg 3 3000; }

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
