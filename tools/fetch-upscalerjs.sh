#!/usr/bin/env bash
# Fetches UpscalerJS's pretrained ESRGAN model packages (MIT licence, Copyright (c) 2022 Kevin Scott)
# from the npm registry with `npm pack`, checks them against the checksums pinned below, and unpacks
# each into tools/.cache/upscalerjs/<package>/ (git-ignored).
#
# Usage: tools/fetch-upscalerjs.sh [esrgan-slim] [esrgan-medium] [esrgan-thick]   (default: all three)
# Prints the cache directory on stdout.
set -euo pipefail

version=1.0.0
declare -A sha256=(
  [esrgan-slim]=b53070ff01363e74d33138106dcc72b58d341c9fb7e8fd648554a4e7744142b5
  [esrgan-medium]=367471ded0629387b9aabc75183be0b80d39d46c3f509945ebde4f5bf7a49627
  [esrgan-thick]=3d38971084d8281bf68da443085c7eb65355fb28aa81b33b54f950cca6328a15
)

tools="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="$tools/.cache/upscalerjs"
packages=("$@")
if [ ${#packages[@]} -eq 0 ]; then
  packages=(esrgan-slim esrgan-medium esrgan-thick)
fi

command -v npm >/dev/null || { echo "fetch-upscalerjs: npm is not installed" >&2; exit 1; }
mkdir -p "$cache"
cd "$cache"

missing=()
for p in "${packages[@]}"; do
  [ -n "${sha256[$p]:-}" ] || { echo "fetch-upscalerjs: unknown package '$p' (esrgan-slim, esrgan-medium, esrgan-thick)" >&2; exit 2; }
  [ -f "upscalerjs-$p-$version.tgz" ] || missing+=("@upscalerjs/$p@$version")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "fetch-upscalerjs: npm pack ${missing[*]}" >&2
  npm pack --silent "${missing[@]}" >/dev/null
fi

for p in "${packages[@]}"; do
  tgz="upscalerjs-$p-$version.tgz"
  echo "${sha256[$p]}  $tgz" | sha256sum --check --quiet - || {
    echo "fetch-upscalerjs: $tgz does not match its pinned checksum; delete it and fetch again" >&2
    exit 1
  }
  # Unpack afresh so that a half-extracted earlier run cannot leave stale files behind.
  rm -rf "$p"
  mkdir "$p"
  tar -xzf "$tgz" -C "$p" --strip-components=1
done
echo "$cache"
