#!/usr/bin/env bash
# A/B of node flags or environment: alternates runs of config A and B, prints best and median MIPS per workload.
# usage: tools/ab-flags.sh "A node-flags/env" "B node-flags/env" [workloads] [rounds]   (e.g. "X86EMU_DISPATCH=0" "")
cd "$(dirname "$0")/.."
A=$1; B=$2; wls=${3:-alu,mem,call}; rounds=${4:-5}
run() { local cfg=$1 w=$2 envs=() flags=(); for t in $cfg; do if [[ $t == *=* && $t != --* ]]; then envs+=("$t"); else flags+=("$t"); fi; done
  env "${envs[@]}" node "${flags[@]}" --import tsx tools/prof-run.ts "$w" "${ITERS:-15000000}" | awk '{print $3}'; }
stat() { sort -n | awk '{x[NR]=$1} END {printf "best %s median %s", x[NR], x[int((NR+1)/2)]}'; }
for w in ${wls//,/ }; do
  ra=(); rb=()
  for ((r = 0; r < rounds; r++)); do ra+=("$(run "$A" "$w")"); rb+=("$(run "$B" "$w")"); done
  echo "$w  A[$A]: $(printf '%s\n' "${ra[@]}" | stat)   B[$B]: $(printf '%s\n' "${rb[@]}" | stat)"
done
