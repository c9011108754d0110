#!/usr/bin/env bash
# Packs what a GPU machine needs to run engine-cuda's tests and benchmarks, resolving the sibling
# modules from the reactor (nothing is installed into the shared local repository):
#
#   engine-cuda/devicekit.sh [KIT_DIR]        default KIT_DIR: .devicekit in the project root
#
# KIT_DIR gets a Java 25 runtime (jre.tar.xz, reused when present), lib/ with every runtime and test
# dependency (engine-api and kernels jars built here, JavaCPP with its linux-x86_64 natives), the
# engine-cuda classes and test classes, the models module's classes without its ONNX files (they
# travel in the work tree; gpu-run.sh puts them back), the ONNX backend-test cases the CUDA backend
# runs (onnx-testdata.tar.xz, chosen by io.srengine.conformance.CudaConformanceCases from Debian's
# libonnx-testdata when it is installed here), the JUnit console launcher, run.sh from the shared
# device folder, gpu-run.sh and bench/ (the PyTorch comparison scripts). On the GPU machine:
#   bash KIT/gpu-run.sh                                  (everything, results in $OUT)
#   bash KIT/run.sh test --select-package io.srengine.cuda
#   bash KIT/run.sh main io.srengine.cuda.CudaBench "$OUT"
#   bash KIT/run.sh main io.srengine.cli.Main upscale IN OUT --backend cuda
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kit=$(realpath -m "${1:-$root/.devicekit}")
shared=${SRENGINE_DEVICE_DIR:-/work/shared/device}
cd "$root"
jdk=$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)
mkdir -p "$kit"
rm -rf "$kit/lib" "$kit/classes" "$kit/bench" "$kit/onnx-testdata.tar.xz"
# copy-dependencies runs for every module of the reactor; onnxruntime (54 MB) is a test dependency
# of the models module alone, not needed here and too big for the device.
JAVA_HOME="$jdk" mvn -B -q -pl engine-cuda,cli -am package dependency:copy-dependencies -DskipTests -DincludeScope=test \
    -Djavacpp.platform=linux-x86_64 -DoutputDirectory="$kit/lib" -DexcludeGroupIds=com.microsoft.onnxruntime
# Classes of engine-cuda as directories, so that the JUnit console finds its tests by package.
mkdir -p "$kit/classes/engine-cuda"
cp -r engine-cuda/target/classes engine-cuda/target/test-classes "$kit/classes/engine-cuda/"
rm -f "$kit"/lib/engine-cuda-*.jar
# The command line, so that `srengine upscale --backend cuda` can be run there (gpu-run.sh step cli).
mkdir -p "$kit/classes/cli"
cp -r cli/target/classes "$kit/classes/cli/"
rm -f "$kit"/lib/cli-*.jar
# The bundled models' ONNX files (10 MB) are already in the work tree that travels with the kit.
rm -f "$kit"/lib/models-*.jar
mkdir -p "$kit/classes/models/classes"
(cd models/target/classes && find . -name '*.class' -exec cp --parents {} "$kit/classes/models/classes/" \;)
find "$kit/lib" \( -name '*-windows-*' -o -name '*-macosx-*' -o -name '*-linux-arm64*' -o -name '*-linux-ppc64le*' \) -delete
if [ ! -s "$kit/jre.tar.xz" ]; then
  tmp=$(mktemp -d)
  "$jdk/bin/jlink" --add-modules java.base,java.desktop,java.logging,java.management,java.xml,jdk.unsupported,jdk.incubator.vector \
      --strip-debug --no-header-files --no-man-pages --output "$tmp/jre"
  tar -C "$tmp" -cf - jre | xz -9 -T2 > "$kit/jre.tar.xz"
  rm -rf "$tmp"
fi
launcher=$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/1.14.1/junit-platform-console-standalone-1.14.1.jar
[ -f "$launcher" ] || JAVA_HOME="$jdk" mvn -B -q dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.1 -Dtransitive=false
cp "$launcher" "$kit/junit-console.jar"
cp "$shared/run.sh" "$kit/run.sh"
cp engine-cuda/gpu-run.sh "$kit/gpu-run.sh"
mkdir -p "$kit/bench" && cp bench/*.py "$kit/bench/"
onnx_data=${SRENGINE_ONNX_TESTDATA:-/usr/share/libonnx-testdata/data}
if [ -d "$onnx_data" ]; then
  tmp=$(mktemp -d)
  cp_kit=$(find "$kit/classes" -mindepth 2 -maxdepth 2 -type d | tr '\n' ':')$(ls "$kit"/lib/*.jar | tr '\n' ':')
  "$jdk/bin/java" --add-modules jdk.incubator.vector -cp "$cp_kit" io.srengine.conformance.CudaConformanceCases \
      "$onnx_data" "$tmp/onnx" 2>&1 | { grep -v '^WARNING: Using incubator' || true; }
  tar -C "$tmp/onnx" -cf - . | xz -9 -T2 > "$kit/onnx-testdata.tar.xz"
  rm -rf "$tmp"
else
  echo "devicekit: no ONNX test data at $onnx_data; CudaConformanceTest will run the PyTorch fixtures only"
fi
du -sh "$kit" | awk '{print "devicekit: " $1 " (at most 64 MiB travel with the work tree)"}'
