#!/bin/bash
# The opcode facts (src/cpu/cpu.h: D_MSTORE, D_MRMW, D_MNONE, D_SZ) against
# what the handlers do: the instruction fuzzer runs ue's checked CPU with
# UE_CHECKED_CPU=facts, which reports every access to an instruction's memory
# operand that its facts do not allow ("ue: facts: ..."). Fails on any.
# usage: tests/facts.sh [fuzzer options, e.g. --seed N --count N]
set -u
T=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
UE_CHECKED_CPU=facts "$T/fuzz/run.sh" "$@" >"$out" 2>&1
rc=$?
bad=$(grep -c '^ue: facts:' "$out")
grep '^ue: facts:' "$out" | sort | uniq -c | sort -rn | head -20
tail -n 1 "$out"
if [ "$rc" -ne 0 ] || [ "$bad" -ne 0 ]; then
    echo "facts: $bad accesses the opcode facts do not allow (fuzzer exit $rc)"
    exit 1
fi
echo "facts: every memory-operand access as the opcode facts say"
