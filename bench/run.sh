#!/usr/bin/env bash
# Runs every CPU benchmark in one JMH run and regenerates docs/benchmarks.md and docs/benchmarks.png:
#
#   bash bench/run.sh [JMH OPTIONS...]      e.g. bash bench/run.sh ModelBenchmark -p model=espcn_x3
#
# On a quiet machine (nothing else running: the run takes about 21 minutes on 2 cores). Writes the
# JMH JSON and log to bench/runs/ (results.json, jmh.log, conditions.txt with the load before and
# after) and the page from them. The benchmark models are generated first if missing (PyTorch).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jdk=${SRENGINE_JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)}
java="$jdk/bin/java"
if [ ! -f bench/models/rrdbnet_x4/model.onnx ]; then
  /usr/bin/python3 tools/export_pytorch_fixtures.py --bench bench/models
fi
JAVA_HOME="$jdk" mvn -B -q -pl bench -am package -DskipTests
mkdir -p bench/runs
sleep 20   # let the build's processes exit: the FMA peak is measured first and would read low
{
  echo "start $(date -u +%Y-%m-%dT%H:%M:%SZ) load $(cat /proc/loadavg)"
  grep -m1 'model name' /proc/cpuinfo
} > bench/runs/conditions.txt
"$java" -jar bench/target/benchmarks.jar -rf json -rff bench/runs/results.json "$@" 2>&1 | tee bench/runs/jmh.log
echo "end $(date -u +%Y-%m-%dT%H:%M:%SZ) load $(cat /proc/loadavg)" >> bench/runs/conditions.txt
"$java" --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar io.srengine.bench.BenchmarkReport \
    bench/runs/results.json docs --note "$(tr '\n' ' ' < bench/runs/conditions.txt)"
