#!/usr/bin/env bash
# Measures what Spark costs and gives: images per second for the same folder upscaled by
# `srengine upscale` alone (the ceiling: srengine with every core, no Spark) and by
# `srengine-spark upscale` in local[1], local[2], local-cluster with one executor of 2 cores and with
# two executors of 1 core. Prints the table for docs/spark.md. Run it on a quiet machine.
#
#   spark/scaling.sh [IMAGES] [MODEL] [SIDE]      (defaults: 120 espcn-x2 256)
#
# Images: IMAGES crops of SIDE x SIDE pixels, flat in one folder (srengine upscale does not recurse),
# cut and mirrored from the bundled sample photograph and written as PNG (needs python3 with PIL).
# Each configuration runs twice and the faster run counts. "whole command" is wall-clock time of the
# command, JVM starts, Spark start-up and listing included; "upscaling" is the job's own figure for
# the tasks that upscale and write (from its summary line).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
n=${1:-120}
model=${2:-espcn-x2}
side=${3:-256}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$root/models/samples/astronaut.png" "$work/in" "$n" "$side" <<'EOF'
import os, random, sys
from PIL import Image, ImageOps
src, out, n, side = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
os.makedirs(out)
photo = Image.open(src).convert("RGB")
big = photo.resize((photo.width * 3, photo.height * 3), Image.LANCZOS)  # room for distinct crops
rnd = random.Random(1)
for i in range(n):
    x, y = rnd.randrange(big.width - side), rnd.randrange(big.height - side)
    img = big.crop((x, y, x + side, y + side))
    if i % 2:
        img = ImageOps.mirror(img)
    img.save(os.path.join(out, "img%04d.png" % i))
EOF

# Build both launchers' jars first, so no measured run includes a build.
"$root/srengine" --help >/dev/null 2>&1
"$root/srengine-spark" upscale --help >/dev/null 2>&1

best_of_two() { # prints "seconds upscaling-rate"
    local best="" rate="" i t0 t1 s r line
    for i in 1 2; do
        rm -rf "$work/out"
        t0=$(date +%s.%N)
        line=$("$@" 2>/dev/null | grep -o '([0-9.]* images/s)' || true)
        t1=$(date +%s.%N)
        s=$(echo "$t1 - $t0" | bc)
        r=$(echo "$line" | tr -d '(' | awk '{print $1}')
        if [ -z "$best" ] || [ "$(echo "$s < $best" | bc)" = 1 ]; then best=$s; rate=$r; fi
    done
    echo "$best ${rate:--}"
}

row() { # label, command...
    local label=$1; shift
    read -r s rate < <(best_of_two "$@")
    printf '| %s | %.2f | %s |\n' "$label" "$(echo "$n / $s" | bc -l)" "$rate"
}

echo "$n images of ${side}x${side}, model $model, $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(date -u +%Y-%m-%d)"
echo
echo "| configuration | images/s, whole command | images/s, upscaling |"
echo "|---|---|---|"
row "srengine upscale (no Spark; the ceiling)" "$root/srengine" upscale "$work/in" "$work/out" --model "$model" --quiet
for m in 'local[1]' 'local[2]' 'local-cluster[1,2,2048]' 'local-cluster[2,1,1024]'; do
    row "srengine-spark --master $m" "$root/srengine-spark" upscale --master "$m" --model "$model" "$work/in" "$work/out"
done
