#!/usr/bin/env bash
# Measures RCP*/RSQRT*/VRCP14*/VRSQRT14* on this CPU and checks x86emu against it.
#   tools/approx-oracle/run.sh sweep   [DIR]  full-mantissa sweeps (sweeps.txt) into DIR (default /tmp/approx-sweeps, ~2 GB)
#   tools/approx-oracle/run.sh derive  [DIR]  derive the tables from the sweeps -> emulator/fpu/approx-tables.ts
#   tools/approx-oracle/run.sh verify  [DIR]  run x86emu's implementation over every swept input, bit for bit
#   tools/approx-oracle/run.sh fixture        regenerate test/fixtures/approx/*.txt.gz (20k random f32 / 10k f64 inputs + edges)
# Needs gcc and a CPU with AVX-512F (the fixtures record `model name` in CPU.txt).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cmd=${1:?usage: run.sh sweep|derive|verify|fixture [DIR]}
dir=${2:-/tmp/approx-sweeps}
grep -qw avx512f /proc/cpuinfo || { echo "CPU lacks AVX-512F" >&2; exit 1; }
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
build() { gcc -O2 -std=gnu11 -Wall -Wextra -o "$bin/oracle" "$here/oracle.c"; }
case "$cmd" in
  sweep)
    build; mkdir -p "$dir"
    grep -v '^#' "$here/sweeps.txt" | while read -r op exps mxs; do
      for e in ${exps//,/ }; do for mx in ${mxs//,/ }; do
        mode=sweep32; case $op in *pd) mode=sweep64;; esac
        "$bin/oracle" $mode "$op" "$e" "$mx" > "$dir/$op.$e.$mx.bin"
      done; done
    done
    grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //' > "$dir/CPU.txt"
    ls "$dir" | wc -l ;;
  derive) cd "$root" && npx tsx "$here/derive.ts" "$dir" ;;
  verify) cd "$root" && npx tsx "$here/verify.ts" "$dir" ;;
  fixture)
    build; out="$root/test/fixtures/approx"; mkdir -p "$out"
    for op in rcpps rsqrtps vrcp14ps vrsqrt14ps vrcp14pd vrsqrt14pd; do
      n=20000; case $op in *pd) n=10000;; esac
      "$bin/oracle" fixture "$op" 0x5eed"$(printf %x ${#op})" $n | gzip -9n > "$out/$op.txt.gz"
    done
    grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //' > "$out/CPU.txt"
    du -sh "$out" ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
