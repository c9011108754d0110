#!/usr/bin/env bash
# Video upscaling speed for docs/video.md: frames per second of the whole `srengine upscale` command on
# a 640x360, 29.97 fps, 300-frame H.264+AAC clip, and how the three threads' busy time splits between
# decode, model and encode. Run it on a quiet machine (nothing else building); it takes a few minutes.
#   bash tools/video-speed.sh [WIDTHxHEIGHT] [FRAMES] [MODEL...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
size=${1:-640x360}
frames=${2:-300}
shift $(( $# > 2 ? 2 : $# )) || true
models=("$@")
if [ ${#models[@]} -eq 0 ]; then
    models=(espcn-x2 srvgg-x2)
    # The ncnn model, once the ncnn work has landed and registered it.
    if ./srengine models 2>/dev/null | grep -q '^realesr-animevideov3-x2 '; then models+=(realesr-animevideov3-x2); fi
fi

java_bin=$(ls -d /usr/lib/jvm/temurin-25*/bin/java 2>/dev/null | head -1)
java_bin=${SRENGINE_JAVA:-${java_bin:-java}}
# Maven runs on JDK 25 too (the build reads the modules' Java 25 descriptors).
jdk=$(dirname "$(dirname "$(readlink -f "$java_bin")")")
JAVA_HOME="$jdk" mvn -B -q -DskipTests -pl cli -am package
JAVA_HOME="$jdk" mvn -B -q -DskipTests -pl video -am test-compile
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$java_bin" --enable-native-access=ALL-UNNAMED -cp "video/target/test-classes:cli/target/lib/*" \
    io.srengine.video.SpeedClip "$work/clip.mp4" "${size%x*}" "${size#*x}" "$frames"

echo "| model | input | frames | fps | decode | model | encode | encoder |"
echo "|---|---|---|---|---|---|---|---|"
for m in "${models[@]}"; do
    best=""
    for run in 1 2; do  # best of two: the first run also pays for JIT warm-up of the same code
        line=$(./srengine upscale "$work/clip.mp4" "$work/out.mp4" --model "$m" 2>&1 | grep '^upscaled')
        fps=$(sed -E 's/.*: ([0-9.]+) fps.*/\1/' <<<"$line")
        if [ -z "$best" ] || awk -v a="$fps" -v b="${best%%|*}" 'BEGIN{exit !(a>b)}'; then best="$fps|$line"; fi
    done
    line=${best#*|}
    dec=$(sed -E 's/.*decode ([0-9]+)%.*/\1/' <<<"$line")
    mod=$(sed -E 's/.*model ([0-9]+)%.*/\1/' <<<"$line")
    enc=$(sed -E 's/.*encode ([0-9]+)%.*/\1/' <<<"$line")
    codec=$(sed -E 's/.*\(([^,]+), .*/\1/' <<<"$line")
    echo "| $m | $size | $frames | ${best%%|*} | $dec% | $mod% | $enc% | $codec |"
done
echo
echo "$(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%Y-%m-%d)"
