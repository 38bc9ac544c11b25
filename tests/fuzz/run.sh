#!/bin/bash
# Differential instruction fuzzer: random i386 instruction sequences (integer,
# x87, MMX, SSE..SSE4.2, AES, SHA, BMI) run natively and under ue, every register, flag
# (undefined ones masked), x87/MMX/XMM/MXCSR state, touched memory and
# raised signal compared. Builds the driver (host gcc) and the i386 runner
# (gcc -m32 -static) into tests/build/fuzz when out of date, then runs.
# Ends with a one-line summary; exit 1 on any mismatch.
#
# usage: tests/fuzz/run.sh [--ue PATH|native] [options]   (native: checks the fuzzer)
#   --seconds S | --count N   how long (default: $FUZZ_SECONDS or 60 s)
#   --seed N                  reproduce a run (default: $FUZZ_SEED or random; printed)
#   --sets LIST               e.g. int,x87:2,sse (default: $FUZZ_SETS or all)
#   --case I                  run case I of the seed alone, shrink it, print it
#   --case I --show           print case I without running it
#   --len A-B, --batch N, --report N, --shrink N, -v: see tests/fuzz/fuzz.c
set -eu
F=$(cd "$(dirname "$0")" && pwd)
T=$(dirname "$F")
ROOT=$(dirname "$T")
B=$T/build/fuzz
UE=${UE:-$ROOT/ue}
args=()
have_len=0 have_seed=0 have_sets=0
while [ $# -gt 0 ]; do
    case "$1" in
    --ue) UE=$2; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --seconds|--count|--case) have_len=1; args+=("$1" "$2"); shift ;;
    --seed) have_seed=1; args+=("$1" "$2"); shift ;;
    --sets) have_sets=1; args+=("$1" "$2"); shift ;;
    *) args+=("$1") ;;
    esac
    shift
done
[ "$have_len" = 1 ] || args+=(--seconds "${FUZZ_SECONDS:-60}")
[ "$have_seed" = 1 ] || [ -z "${FUZZ_SEED:-}" ] || args+=(--seed "$FUZZ_SEED")
[ "$have_sets" = 1 ] || [ -z "${FUZZ_SETS:-}" ] || args+=(--sets "$FUZZ_SETS")
case "$UE" in /*|native) ;; *) UE=$(cd "$(dirname "$UE")" && pwd)/$(basename "$UE") ;; esac
if [ "$UE" != native ] && [ ! -x "$UE" ]; then
    echo "fuzz: $UE not found (build it with make, or pass --ue PATH)" >&2
    exit 2
fi

mkdir -p "$B/work"
newer() {   # newer OUT SRC...: is any SRC newer than OUT (or OUT missing)?
    local out=$1 s
    shift
    [ -e "$out" ] || return 0
    for s in "$@"; do [ "$s" -nt "$out" ] && return 0; done
    return 1
}
host_srcs=("$F"/fuzz.c "$F"/gen.c "$F"/gen_int.c "$F"/gen_x87.c "$F"/gen_simd.c "$F"/gen_bmi.c "$F"/show.c)
if newer "$B/fuzz" "${host_srcs[@]}" "$F"/*.h; then
    gcc -O2 -g -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -o "$B/fuzz" "${host_srcs[@]}" \
        || { echo "fuzz: cannot build the driver" >&2; exit 2; }
fi
if newer "$B/runner" "$F/runner.c" "$F/runner_stub.S" "$F/fuzz.h"; then
    gcc -m32 -static -O2 -Wall -o "$B/runner" "$F/runner.c" "$F/runner_stub.S" \
        || { echo "fuzz: cannot build the i386 runner (gcc -m32: see tests/setup.sh)" >&2; exit 2; }
fi
cd "$ROOT"
exec "$B/fuzz" --runner "$B/runner" --ue "$UE" --dir "$B/work" "${args[@]}"
