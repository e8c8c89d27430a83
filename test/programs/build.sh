#!/bin/sh
# Builds every program of builds.txt (or the ones named as arguments) twice:
#   native - an ordinary Linux program; its output becomes expected/<name>.txt
#   bare   - an ELF64 ET_EXEC at 0x200000 following the boot protocol
#            (checked with readelf: ET_EXEC, every PT_LOAD at >= 1 MiB)
# The machine running this must have AVX-512 (F, BW, VL, DQ).
# Binaries go to $OUT (default: a temporary directory, printed at the end).
# expected/GCC_VERSION records the compiler, which the test reports when it differs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$(mktemp -d)}
mkdir -p "$out" "$here/expected"
for f in avx512f avx512bw avx512vl avx512dq; do
  grep -qw "$f" /proc/cpuinfo || { echo "build.sh: this machine lacks $f; the native outputs need AVX-512" >&2; exit 1; }
done
common=$(sed -n 's/^COMMON = //p' "$here/builds.txt")
bare=$(sed -n 's/^BARE = //p' "$here/builds.txt")
rt="$here/rt"
gcc --version | head -n 1 > "$here/expected/GCC_VERSION"
grep -v -e '^#' -e '^COMMON = ' -e '^BARE = ' -e '^[[:space:]]*$' "$here/builds.txt" |
while read -r name src flags; do
  if [ $# -gt 0 ]; then
    case " $* " in *" $name "*) ;; *) continue ;; esac
  fi
  # shellcheck disable=SC2086
  gcc $common $flags -I"$rt" -o "$out/$name.native" "$here/src/$src" "$rt/native_main.c"
  # shellcheck disable=SC2086
  gcc $common $flags $bare -I"$rt" -T "$rt/link.ld" -o "$out/$name.elf" "$rt/start.S" "$here/src/$src" "$rt/bare_io.c" -lgcc
  readelf -h "$out/$name.elf" | grep -q 'Type:[[:space:]]*EXEC' || { echo "$name: bare ELF is not ET_EXEC" >&2; exit 1; }
  readelf -h "$out/$name.elf" | grep -q 'Machine:[[:space:]]*Advanced Micro Devices X86-64' || { echo "$name: bare ELF is not x86-64" >&2; exit 1; }
  loads=$(readelf -lW "$out/$name.elf" | awk '$1 == "LOAD" { print $3 }')
  [ -n "$loads" ] || { echo "$name: bare ELF has no PT_LOAD" >&2; exit 1; }
  for a in $loads; do
    [ $((a)) -ge 1048576 ] || { echo "$name: PT_LOAD at $a is below 1 MiB" >&2; exit 1; }
  done
  set +e
  "$out/$name.native" > "$here/expected/$name.txt"
  status=$?
  set -e
  line=$(tail -n 1 "$here/expected/$name.txt")
  [ "$line" = "$(printf 'exit=%02x' "$status")" ] || { echo "$name: native exit status $status but last line '$line'" >&2; exit 1; }
  echo "$name: $(wc -l < "$here/expected/$name.txt") lines, exit $status"
done
echo "binaries in $out"
