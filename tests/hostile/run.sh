#!/bin/bash
# Hostile-ELF fuzzer (tests/hostile/elf_fuzz.c): mutated headers of a small
# static, dynamic and PIE i386 program, run natively and under ue.
# usage: tests/hostile/run.sh [--ue PATH] [--seed S] [--count N | --seconds T] [--case I]
# FUZZ_SEED and FUZZ_SECONDS from the environment are used when the options
# are not given (make fuzz-elf); without either, a random seed runs 60 s.
set -u
H=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$(dirname "$H")")
B=$ROOT/tests/build/hostile
UE=$ROOT/ue
args=()
seed=${FUZZ_SEED:-}
limit=()
while [ $# -gt 0 ]; do
    case "$1" in
    --ue) UE=$2; shift ;;
    --seed) seed=$2; shift ;;
    --count|--seconds|--case) limit+=("$1" "$2"); shift ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
[ -z "$seed" ] && seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
[ ${#limit[@]} -eq 0 ] && limit=(--seconds "${FUZZ_SECONDS:-60}")
[ -x "$UE" ] || { echo "run.sh: $UE not found (make)" >&2; exit 2; }

mkdir -p "$B/work"
rm -f "$B"/work/fail-*
if [ ! -x "$B/elf_fuzz" ] || [ "$H/elf_fuzz.c" -nt "$B/elf_fuzz" ]; then
    gcc -O2 -Wall -o "$B/elf_fuzz" "$H/elf_fuzz.c" || exit 2
fi
# The bases: what they do matters less than that they run quickly and exit 7.
if [ ! -x "$B/static" ] || [ "$H/base.c" -nt "$B/static" ]; then
    gcc -m32 -O2 -static -fno-pie -no-pie -o "$B/static" "$H/base.c" &&
    gcc -m32 -O2 -fno-pie -no-pie -o "$B/dynamic" "$H/base.c" &&
    gcc -m32 -O2 -fPIE -pie -o "$B/pie" "$H/base.c" || exit 2
fi
# Mutated programs run arbitrary code: in a PID namespace of their own when
# possible, so that a stray kill(-1, ...) reaches no one else.
wrap=()
if unshare --pid --fork --kill-child true 2>/dev/null; then
    wrap=(unshare --pid --fork --kill-child)
fi
exec "${wrap[@]}" "$B/elf_fuzz" --ue "$UE" --dir "$B/work" --seed "$seed" "${limit[@]}" \
    "$B/static" "$B/dynamic" "$B/pie"
