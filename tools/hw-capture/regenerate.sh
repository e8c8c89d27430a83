#!/bin/sh
# Recaptures test/conformance/host/*.json on this machine's silicon (x86-64 Linux, AVX-512).
#   tools/hw-capture/regenerate.sh [--only FAMILY,...] [--runs N] [--keep FRACTION]
# The harness binary is built into a temporary directory and never committed.
set -eu
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -O1 -Wall -Wextra -o "$tmp/hwcap" tools/hw-capture/harness.c
npx tsx tools/hw-capture/gen.ts capture --harness "$tmp/hwcap" --out test/conformance/host "$@"
# then: npx tsx tools/conform.ts test/conformance/host/FILE.json --cpu genoa -v
