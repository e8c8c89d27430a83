#!/usr/bin/env bash
# Rebuild the oracle and regenerate test/fixtures/simd-fp/*.json on this machine.
# Needs gcc and a CPU with SSE4.1, F16C, FMA, AVX-512F/DQ (checked below).
# Usage: tools/simd-fp-oracle/regenerate.sh [seed] [op]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
for f in sse4_1 f16c fma avx512f avx512dq; do
  grep -qw "$f" /proc/cpuinfo || { echo "CPU lacks $f" >&2; exit 1; }
done
out=$(mktemp -d)
gcc -O1 -std=gnu11 -Wall -Wextra -msse4.1 -mf16c -mfma -mavx512f -mavx512dq -o "$out/oracle" "$here/oracle.c"
mkdir -p "$root/test/fixtures/simd-fp"
"$out/oracle" "$root/test/fixtures/simd-fp" "${1:-0x9e3779b97f4a7c15}" ${2:-}
grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //' > "$root/test/fixtures/simd-fp/CPU.txt"
rm -rf "$out"
du -sh "$root/test/fixtures/simd-fp"
