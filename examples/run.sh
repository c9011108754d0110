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
png_size_is() {   # png_size_is FILE WIDTH HEIGHT
    python3 - "$@" <<'PY'
import struct, sys
head = open(sys.argv[1], "rb").read(24)
assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", f"{sys.argv[1]} is not a PNG"
size = struct.unpack(">II", head[16:24])
assert size == (int(sys.argv[2]), int(sys.argv[3])), f"{sys.argv[1]} is {size}, expected {sys.argv[2:]}"
PY
}
expect() {   # expect TEXT OUTPUT
    grep -qF -- "$1" <<<"$2" || { echo "examples: expected '$1' in: $2" >&2; exit 1; }
}

out=$(run upscale-image "$root/models/samples/astronaut.png" "$work/astronaut-x4.png")
echo "$out"
expect "on the cpu backend" "$out"
png_size_is "$work/astronaut-x4.png" 768 768

# The same as named modules on the module path: the engine's API is exported, its internals are not.
out=$(run module-path "$root/models/samples/astronaut.png" "$work/astronaut-x4-modular.png")
echo "$out"
expect "module io.srengine exports io.srengine: true, io.srengine.ops: false" "$out"
expect "on the cpu backend" "$out"
cmp -s "$work/astronaut-x4.png" "$work/astronaut-x4-modular.png" \
    || { echo "examples: the module-path run wrote a different image than the class-path run" >&2; exit 1; }

out=$(run run-model "$root/testdata/pytorch/espcn_x3_opset13/model.onnx")
echo "$out"
expect "on the cpu backend: [1, 3, 96, 96]" "$out"

# A PyTorch checkpoint through the same call (the formats module reads it): random weights of a small
# SRVGGNetCompact x4 saved by torch.save, made by the checkpoint tests' generator.
/usr/bin/python3 "$root/tools/checkpoints/make_checkpoints.py" "$work/ckpt" --only compact_prelu_x4 >/dev/null
out=$(run run-model "$work/ckpt/compact_prelu_x4.zip.float32.pth")
echo "$out"
expect "on the cpu backend: [1, 3, 128, 128]" "$out"

# A video: a 2-second 128x72 H.264 clip with AAC audio (made by the video module's test clip writer), 2x.
out=$(run upscale-video "$root/examples/upscale-video/clip.mp4" "$work/clip-x2.mkv")
echo "$out"
expect "upscaled 20 frames to 256x144" "$out"
expect "on the cpu backend" "$out"
[ -s "$work/clip-x2.mkv" ] || { echo "examples: upscale-video wrote nothing" >&2; exit 1; }

# Spark: a folder with a photograph and a truncated PNG; the good one is upscaled, the bad one reported.
mkdir -p "$work/photos"
cp "$root/models/samples/astronaut.png" "$work/photos/astronaut.png"
head -c 2000 "$root/models/samples/astronaut.png" > "$work/photos/broken.png"
out=$(run spark-upscale "$work/photos" "$work/photos-x2")
echo "$out"
expect "upscaled 1 of 2 images" "$out"
expect "broken.png" "$out"
png_size_is "$work/photos-x2/astronaut.png" 384 384

# The same folder through the launcher, as a user tries it: ./srengine-spark builds the module and runs
# the job with Spark's own launcher and class loaders (which the module's tests, on one class path, do not).
rm -rf "$work/photos-x2"
out=$("$root/srengine-spark" upscale --master 'local[1]' --model espcn-x2 "$work/photos" "$work/photos-x2" 2>&1 | tr '\r' '\n' || true)
expect "upscaled 1 of 2 images" "$out"
png_size_is "$work/photos-x2/astronaut.png" 384 384

echo "examples: all passed"
