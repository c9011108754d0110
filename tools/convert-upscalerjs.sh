#!/usr/bin/env bash
# Converts UpscalerJS's pretrained ESRGAN models (MIT licence, Copyright (c) 2022 Kevin Scott) into
# srengine ONNX models: fetches the npm packages (tools/fetch-upscalerjs.sh), reads each package's own
# model definition for the input range and architecture, and runs srengine's convert-tfjs command.
#
#   tools/convert-upscalerjs.sh              slim and medium at x2, x3, x4, into
#                                            models/src/main/resources/io/srengine/models/ (committed)
#   tools/convert-upscalerjs.sh --thick      also esrgan-thick-x4 (RRDN, 7.3 M parameters, about
#                                            29 MB; not committed) into tools/.cache/models/
#   tools/convert-upscalerjs.sh --fixtures   also re-run the original models in TF.js on the photo
#                                            crops (tools/tfjs-reference.mjs; needs `npm ci` in tools/)
set -euo pipefail

tools="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$tools")"
bundled="$root/models/src/main/resources/io/srengine/models"
extra="$tools/.cache/models"
fixtures="$root/models/src/test/resources/io/srengine/models/tfjs-fixtures"

thick=0
make_fixtures=0
for arg in "$@"; do
  case "$arg" in
    --thick) thick=1 ;;
    --fixtures) make_fixtures=1 ;;
    *) echo "usage: tools/convert-upscalerjs.sh [--thick] [--fixtures]" >&2; exit 2 ;;
  esac
done

packages=(esrgan-slim esrgan-medium)
[ "$thick" = 1 ] && packages+=(esrgan-thick)
cache="$("$tools/fetch-upscalerjs.sh" "${packages[@]}")"

find_jdk() {
  local cand
  for cand in "${SRENGINE_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25-*; do
    if [ -n "$cand" ] && [ -x "$cand/bin/java" ] \
        && "$cand/bin/java" -version 2>&1 | grep -q 'version "25'; then
      echo "$cand"
      return 0
    fi
  done
  return 1
}
jdk="$(find_jdk)" || { echo "convert-upscalerjs: needs a JDK 25; set SRENGINE_JAVA_HOME" >&2; exit 2; }

echo "convert-upscalerjs: building the command line (mvn package)..." >&2
(cd "$root" && JAVA_HOME="$jdk" mvn -B -q -DskipTests -pl cli -am package)

convert() { # package scale output-dir description
  local pkg="$1" scale="$2" dir="$3" description="$4"
  local definition="$cache/$pkg/dist/cjs/models/$pkg/src/x$scale/cjs.js"
  # The package's definition is plain CommonJS without TF.js imports; it says which range the
  # network computes in (RDN 0-255, RRDN 0-1) and which hyper-parameters it was trained with.
  local info
  info="$(node -e '
    const d = require(process.argv[1]);
    const m = d.meta;
    const arch = m.architecture === "rdn"
      ? `RDN (C=${m.C}, D=${m.D}, G=${m.G}, G0=${m.G0})`
      : `RRDN (C=${m.C}, D=${m.D}, G=${m.G}, G0=${m.G0}, T=${m.T})`;
    if (d.scale !== Number(process.argv[2])) throw new Error(`definition scale ${d.scale}`);
    console.log([d.inputRange[1], arch, d._internals.path, m.dataset.toUpperCase()].join("\t"));
  ' "$definition" "$scale")"
  local range arch path dataset
  IFS=$'\t' read -r range arch path dataset <<<"$info"
  local version
  version="$(node -p 'require(process.argv[1]).version' "$cache/$pkg/package.json")"
  local name="$pkg-x$scale"
  mkdir -p "$dir"
  # protobuf-java still uses sun.misc.Unsafe; allowing it keeps JDK 25's warning out of the log.
  "$jdk/bin/java" --add-modules jdk.incubator.vector --sun-misc-unsafe-memory-access=allow \
    -cp "$root/cli/target/srengine-cli.jar" \
    io.srengine.cli.ConvertTfjsCommand "$cache/$pkg/$path" "$dir/$name.onnx" \
    --name "$name" --scale "$scale" --input-range "$range" --architecture "$arch" \
    --source "npm:@upscalerjs/$pkg@$version $path" \
    --license "MIT, Copyright (c) 2022 Kevin Scott" --training-data "$dataset" \
    --description "$description"
}

for scale in 2 3 4; do
  convert esrgan-slim "$scale" "$bundled" "UpscalerJS ESRGAN slim x$scale: small RDN, the fastest"
  convert esrgan-medium "$scale" "$bundled" "UpscalerJS ESRGAN medium x$scale: larger RDN, more detail, slower"
done
if [ "$thick" = 1 ]; then
  convert esrgan-thick 4 "$extra" "UpscalerJS ESRGAN thick x4: RRDN, the most detail, by far the slowest"
fi

if [ "$make_fixtures" = 1 ]; then
  models=()
  for scale in 2 3 4; do models+=(esrgan-slim-x$scale esrgan-medium-x$scale); done
  [ "$thick" = 1 ] && models+=(esrgan-thick-x4)
  (cd "$tools" && node tfjs-reference.mjs "$cache" "$fixtures" "${models[@]}")
fi
