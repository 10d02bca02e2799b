#!/usr/bin/env bash
# Fetches lavapipe (Mesa's CPU Vulkan driver) from Debian bookworm-backports (Mesa 25) into
# <repo>/.tmp/lavapipe, leaving the system's Mesa alone: unlike SwiftShader it has shader-f16, so
# src/f16-lavapipe.test.ts can check the f16 matmul against f32. Idempotent; x86_64 Debian 12.
# Recipe: ../../../shared/docs/toolchain.md ("lavapipe from Mesa 25").
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
dest=${1:-$repo/.tmp/lavapipe}
if [ -f "$dest/lvp_icd.json" ] && [ -f "$dest/libvulkan_lvp.so" ]; then echo "lavapipe: already at $dest"; exit 0; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/archives/partial" "$dest"
echo "deb http://deb.debian.org/debian bookworm-backports main" > "$work/sources.list"
apt_opts=(-o APT::Sandbox::User=root -o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::Archives=$work/archives")
apt-get "${apt_opts[@]}" update -qq
(cd "$work" && apt-get "${apt_opts[@]}" download -qq mesa-vulkan-drivers 2>/dev/null)
dpkg-deb -x "$work"/mesa-vulkan-drivers_*.deb "$work/x"
cp "$work/x/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so" "$dest/"
missing=$(ldd "$dest/libvulkan_lvp.so" | grep 'not found' || true)
if [ -n "$missing" ]; then
  echo "lavapipe: expected every library of libvulkan_lvp.so, got missing ones:" >&2
  echo "$missing" >&2
  echo "help: apt-get install -y libvulkan1 mesa-vulkan-drivers (bookworm's, for the shared libraries)" >&2
  exit 1
fi
printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"1.4.305"}}\n' "$dest/libvulkan_lvp.so" > "$dest/lvp_icd.json"
echo "lavapipe: $(dpkg-deb -f "$work"/mesa-vulkan-drivers_*.deb Version) at $dest/lvp_icd.json"
