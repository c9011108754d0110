#!/usr/bin/env bash
# Builds and runs every example as an outside project would: against the srengine artifacts in the
# local Maven repository, through the BOM. Run `mvn -B install` at the repository root first.
#   bash examples/run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

# Maven runs the examples on a JDK 25 (they compile for release 25 and run with the JDK Maven runs on).
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25'; then
    for cand in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25-*; do
        if [ -x "$cand/bin/java" ]; then export JAVA_HOME=$cand; break; fi
    done
fi
# Maven itself on JDK 25 would warn about sun.misc.Unsafe (its bundled Guava); that is not ours.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() {   # run DIR ARGS...: builds the example and runs it, printing its output
    local dir=$1; shift
    mvn -B -q -f "$root/examples/$dir/pom.xml" package >&2
    mvn -B -q -f "$root/examples/$dir/pom.xml" exec:exec -Dargs="$*"
}
expect() {   # expect TEXT OUTPUT
    grep -qF -- "$1" <<<"$2" || { echo "examples: expected '$1' in: $2" >&2; exit 1; }
}

out=$(run upscale-image "$root/models/samples/astronaut.png" "$work/astronaut-x4.png")
echo "$out"
expect "on the cpu backend" "$out"
/usr/bin/python3 - "$work/astronaut-x4.png" <<'PY'
import sys
from PIL import Image
size = Image.open(sys.argv[1]).size
assert size == (768, 768), f"upscale-image wrote {size}, expected (768, 768)"
PY

out=$(run run-model "$root/testdata/pytorch/espcn_x3_opset13/model.onnx")
echo "$out"
expect "on the cpu backend: [1, 3, 96, 96]" "$out"

# A PyTorch checkpoint through the same call (the formats module reads it): random weights of a small
# SRVGGNetCompact x4 saved by torch.save, made by the checkpoint tests' generator.
/usr/bin/python3 "$root/tools/checkpoints/make_checkpoints.py" "$work/ckpt" --only compact_prelu_x4 >/dev/null
out=$(run run-model "$work/ckpt/compact_prelu_x4.zip.float32.pth")
echo "$out"
expect "on the cpu backend: [1, 3, 128, 128]" "$out"

echo "examples: all passed"
