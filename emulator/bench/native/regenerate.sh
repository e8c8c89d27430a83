#!/usr/bin/env bash
# Runs the xsavec workload natively (this machine has AVX-512 and XSAVEC) and
# writes the checksums x86emu's run must print to ../checksums.txt.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
gcc -O2 -o "$tmp/xsavec" main.c xsavec.S
{
  echo "# Checksums of x86emu's own bench workloads, printed by native runs on silicon (emulator/bench/native)."
  for n in 0 1000 100000; do echo "xsavec $n $("$tmp/xsavec" $n)"; done
} > ../checksums.txt
rm -rf "$tmp"
cat ../checksums.txt
