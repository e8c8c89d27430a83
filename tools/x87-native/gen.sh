#!/usr/bin/env bash
# Regenerate test/x87/native-data.json from the host CPU (needs gcc on x86-64).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -O1 -mno-red-zone -Wall -o "$tmp/gen" "$here/gen.c"
"$tmp/gen" > "$root/test/x87/native-data.json"
grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //' > "$root/test/x87/native-cpu.txt"
