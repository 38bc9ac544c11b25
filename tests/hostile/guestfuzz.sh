#!/bin/bash
# Hostile-input fuzzers: i386 guests run natively and under ue, batch after
# batch with seeds SEED, SEED+1, ... until the time is up. The rule: ue never
# dies (no "ue: internal error", no host-side crash), and the guest sees what
# it would see natively.
#   sys       random syscall arguments (sysfuzz.c): outputs must be identical
#   race      threads flipping syscall argument structs (race.c): both runs
#             must end with status 0 (outputs race, so they are not compared)
#   sigframe  forged signal frames (sigframe.c): outputs must be identical
# Ends with "N passed, N failed" (one batch is one case); exit 1 on a failure.
#
# usage: tests/hostile/guestfuzz.sh sys|race|sigframe [options]
#   --seconds S   how long (default: $FUZZ_SECONDS or 60)
#   --seed N      first seed (default: $FUZZ_SEED or random; printed)
#   --batches N   stop after N batches (whatever the time)
#   --count N     calls/cases per batch (default per fuzzer)
#   --skip LIST   comma-separated syscall numbers / case kinds left out
#   --ue PATH     the ue to test; "native" runs native twice (checks the fuzzer)
set -u
H=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$H/../.." && pwd)
B=$ROOT/tests/build/guestfuzz      # not tests/build/hostile: the ELF fuzzer (run.sh) owns that
UE=$ROOT/ue
kind=${1:-}
case "$kind" in
sys) count=1000 ;;
race) count=3000 ;;
sigframe) count=60 ;;
-h|--help|"") sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
*) echo "hostile: unknown fuzzer '$kind' (sys, race, sigframe)" >&2; exit 2 ;;
esac
shift
seconds=${FUZZ_SECONDS:-60}
seed=${FUZZ_SEED:-}
batches=0
skip=
while [ $# -gt 0 ]; do
    case "$1" in
    --seconds) seconds=$2; shift ;;
    --seed) seed=$2; shift ;;
    --batches) batches=$2; shift ;;
    --count) count=$2; shift ;;
    --skip) skip=$2; shift ;;
    --ue) UE=$2; shift ;;
    *) echo "hostile: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
[ -n "$seed" ] || seed=$(( $(od -An -N4 -tu4 /dev/urandom) ))
seed=$((seed))
if [ "$UE" != native ]; then
    case "$UE" in /*) ;; *) UE=$(pwd)/$UE ;; esac
    [ -x "$UE" ] || { echo "hostile: $UE not found (build it with make, or pass --ue PATH)" >&2; exit 2; }
fi

mkdir -p "$B"
# Per run of this script: several fuzzers, or several people, may run at once.
W=$B/work-$kind-$$
O=$B/out-$kind-$$
trap 'rm -rf "$W" "$O".*' EXIT
prog=$B/$kind
src=$H/$kind.c
[ "$kind" = sys ] && src=$H/sysfuzz.c
if [ ! -x "$prog" ] || [ "$src" -nt "$prog" ] || [ "$H/common.h" -nt "$prog" ]; then
    # built aside and renamed: another run may be using the old binary
    gcc -m32 -static -O2 -Wall -Wno-unused-function -o "$prog.$$" "$src" -lpthread && mv -f "$prog.$$" "$prog" \
        || { echo "hostile: cannot build $src (gcc -m32: see tests/setup.sh)" >&2; exit 2; }
fi

# One run in a fresh directory at the same path (getcwd and names must match),
# with only fds 0-2 open, a fixed umask and fd limit, no core files.
# run1 OUTPREFIX CMD...: leaves OUTPREFIX.out, .err, .rc
run1() {
    local o=$1
    shift
    rm -rf "$W" && mkdir -p "$W"
    { (
        cd "$W" || exit 2
        for fd in $(ls /proc/$BASHPID/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
        ulimit -c 0
        ulimit -n 1024
        umask 022
        exec env -i PATH=/usr/bin:/bin timeout -s KILL 20 "$@" </dev/null
    ) >"$o.out" 2>"$o.err"; } 2>/dev/null     # no "Segmentation fault" from bash: the status says it
    echo $? >"$o.rc"
    # race.c's semaphore set: gone even when the run died before removing it
    [ "$kind" = race ] && ipcrm -S $((0x52ac0000 + (s & 0xffff))) 2>/dev/null
    return 0
}

# The first line that differs, with its neighbour before.
first_diff() {
    local n
    n=$(cmp "$1" "$2" 2>/dev/null | sed -n 's/.* line \([0-9]*\).*/\1/p')
    [ -n "$n" ] || n=$(( $(wc -l <"$1") < $(wc -l <"$2") ? $(wc -l <"$1") + 1 : $(wc -l <"$2") + 1 ))
    [ "$n" -gt 1 ] && echo "  before:  $(sed -n "$((n - 1))p" "$1")"
    echo "  native:  $(sed -n "${n}p" "$1")"
    echo "  ue:      $(sed -n "${n}p" "$2")"
}

printf 'hostile %s: seed 0x%x, %s s, %s per batch%s\n' "$kind" "$seed" "$seconds" "$count" "${skip:+, skipping $skip}"
passed=0 failed=0 b=0
start=$(date +%s)
while :; do
    [ "$batches" -gt 0 ] && [ "$b" -ge "$batches" ] && break
    [ "$batches" -eq 0 ] && [ $(( $(date +%s) - start )) -ge "$seconds" ] && [ "$b" -gt 0 ] && break
    s=$(printf '0x%x' $((seed + b)))
    b=$((b + 1))
    args=("$prog" "$s" "$count")
    [ -n "$skip" ] && args+=("$skip")
    run1 "$O.native" "${args[@]}"
    if [ "$UE" = native ]; then run1 "$O.ue" "${args[@]}"; else run1 "$O.ue" "$UE" "${args[@]}"; fi
    nrc=$(cat "$O.native.rc") urc=$(cat "$O.ue.rc")
    why=
    if [ "$nrc" != 0 ]; then
        why="native run ended with status $nrc (a fuzzer defect: it must pass natively)"
    elif grep -q '^ue: internal error\|^ue: .*abort\|Assertion' "$O.ue.err"; then
        why="ue died: $(grep -m1 '^ue: internal error\|^ue: .*abort\|Assertion' "$O.ue.err")"
    elif [ "$urc" != 0 ]; then
        why="under ue the run ended with status $urc (native: 0)$( [ "$urc" = 137 ] && echo ', killed after 20 s')"
    elif [ "$kind" != race ] && ! cmp -s "$O.native.out" "$O.ue.out"; then
        why="outputs differ"
    elif [ "$kind" = race ] && ! grep -q '^done' "$O.ue.out"; then
        why="under ue the run did not finish"
    fi
    if [ -z "$why" ]; then
        passed=$((passed + 1))
        continue
    fi
    failed=$((failed + 1))
    keep=$B/fail-$kind-$s
    rm -rf "$keep" && mkdir -p "$keep"
    for f in "$O".native.* "$O".ue.*; do cp "$f" "$keep/${f#"$O".}"; done
    if [ "$failed" -gt 20 ]; then echo "FAIL $kind seed $s: $why"; continue; fi   # details for the first 20 only
    echo "FAIL $kind seed $s: $why"
    if [ "$kind" != race ]; then first_diff "$O.native.out" "$O.ue.out"; fi
    grep -m3 '^ue: ' "$O.ue.err" | sed 's/^/  stderr:  /'
    echo "  again:   tests/hostile/guestfuzz.sh $kind --seed $s --batches 1 --count $count${skip:+ --skip $skip}   (outputs kept in ${keep#$ROOT/})"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
