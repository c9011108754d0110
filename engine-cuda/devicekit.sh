#!/usr/bin/env bash
# Packs what a GPU machine needs to run engine-cuda's tests and benchmarks, resolving the sibling
# modules from the reactor (nothing is installed into the shared local repository):
#
#   engine-cuda/devicekit.sh [KIT_DIR]        default KIT_DIR: .devicekit in the project root
#
# KIT_DIR gets a Java 25 runtime (jre.tar.xz, reused when present), lib/ with every runtime and test
# dependency (engine-api and kernels jars built here, JavaCPP with its linux-x86_64 natives), the
# engine-cuda classes and test classes, the JUnit console launcher, run.sh from the shared device
# folder and bench/ (the PyTorch comparison script). On the GPU machine:
#   bash KIT/run.sh test --select-package io.srengine.cuda
#   bash KIT/run.sh main io.srengine.cuda.CudaBench "$OUT"
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kit=$(realpath -m "${1:-$root/.devicekit}")
shared=${SRENGINE_DEVICE_DIR:-/work/shared/device}
cd "$root"
jdk=$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)
mkdir -p "$kit"
rm -rf "$kit/lib" "$kit/classes" "$kit/bench"
mvn -B -q -pl engine-cuda -am package dependency:copy-dependencies -DskipTests -DincludeScope=test \
    -Djavacpp.platform=linux-x86_64 -DoutputDirectory="$kit/lib"
# Classes of engine-cuda as directories, so that the JUnit console finds its tests by package.
mkdir -p "$kit/classes/engine-cuda"
cp -r engine-cuda/target/classes engine-cuda/target/test-classes "$kit/classes/engine-cuda/"
rm -f "$kit"/lib/engine-cuda-*.jar
find "$kit/lib" \( -name '*-windows-*' -o -name '*-macosx-*' -o -name '*-linux-arm64*' -o -name '*-linux-ppc64le*' \) -delete
if [ ! -s "$kit/jre.tar.xz" ]; then
  tmp=$(mktemp -d)
  "$jdk/bin/jlink" --add-modules java.base,java.desktop,java.logging,java.management,java.xml,jdk.unsupported,jdk.incubator.vector \
      --strip-debug --no-header-files --no-man-pages --output "$tmp/jre"
  tar -C "$tmp" -cf - jre | xz -9 -T2 > "$kit/jre.tar.xz"
  rm -rf "$tmp"
fi
launcher=$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/1.14.1/junit-platform-console-standalone-1.14.1.jar
[ -f "$launcher" ] || mvn -B -q dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.1 -Dtransitive=false
cp "$launcher" "$kit/junit-console.jar"
cp "$shared/run.sh" "$kit/run.sh"
mkdir -p "$kit/bench" && cp bench/*.py "$kit/bench/"
du -sh "$kit" | awk '{print "devicekit: " $1 " (at most 64 MiB travel with the work tree)"}'
