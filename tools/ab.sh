#!/usr/bin/env bash
# Quick interpreter A/B: median-ish MIPS of alu, mem, call (last of 4 in-process runs each).
cd "$(dirname "$0")/.."
for w in alu mem call; do npx tsx tools/steady.ts $w 2>/dev/null | tail -1; done
