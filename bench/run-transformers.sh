#!/usr/bin/env bash
# Runs the transformer benchmarks (srengine cpu against ONNX Runtime on SwinIR-light x4 and DAT-light x4
# at 64x64 and 128x128), profiles where srengine's time goes, and writes the "Transformers" section of
# docs/benchmarks.md:
#
#   bash bench/run-transformers.sh [JMH OPTIONS...]
#
# On a quiet machine only. Writes bench/runs/transformer-results.json, transformer-profile.tsv and
# transformer-jmh.log. The models are generated first if missing (PyTorch, a few minutes).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jdk=${SRENGINE_JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)}
java="$jdk/bin/java"
if [ ! -f bench/models/swinir_light_x4/model.onnx ] || [ ! -f bench/models/dat_light_x4/model.onnx ]; then
  /usr/bin/python3 tools/export_transformer_fixtures.py --bench bench/models
fi
JAVA_HOME="$jdk" mvn -B -q -pl bench -am package -DskipTests
mkdir -p bench/runs
sleep 20   # let the build's processes exit
note="start $(date -u +%Y-%m-%dT%H:%M:%SZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
"$java" -jar bench/target/benchmarks.jar TransformerBenchmark -rf json -rff bench/runs/transformer-results.json "$@" \
    2>&1 | tee bench/runs/transformer-jmh.log
"$java" --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar io.srengine.bench.TransformerProfile \
    bench/runs/transformer-profile.tsv 20
note="$note, end $(date -u +%Y-%m-%dT%H:%M:%SZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
"$java" --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar io.srengine.bench.TransformerReport \
    bench/runs/transformer-results.json bench/runs/transformer-profile.tsv docs/benchmarks.md --note "$note"
