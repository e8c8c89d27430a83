#!/usr/bin/env bash
# Regenerate the x87 silicon fixtures in test/fixtures/f80/ (needs gcc on an x86-64 host).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/test/fixtures/f80"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -O1 -mno-red-zone -Wall -o "$tmp/oracle" "$here/oracle.c"
mkdir -p "$out"
"$tmp/oracle" "$out"
grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //' > "$out/CPU.txt"
du -sh "$out"
