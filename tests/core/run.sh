#!/bin/bash
# The guest's core under gdb (not differential): a static and a dynamic i386
# program that segfault under ue leave a core (core_pattern permitting)
# that gdb reads: the faulting EIP is in the guest's function and the
# backtrace names the guest's callers. Skipped when core_pattern is a pipe
# (the host's dumper then gets ue's own core), the hard core limit is too
# low, or gdb is missing.
set -u
T=$(cd "$(dirname "$0")/.." && pwd)
UE=${UE:-$(dirname "$T")/ue}
pat=$(cat /proc/sys/kernel/core_pattern)
case "$pat" in "|"*) echo "core/run.sh: core_pattern is a pipe, skipped"; echo "0 passed, 0 failed"; exit 0 ;; esac
(ulimit -c unlimited) 2>/dev/null || { echo "core/run.sh: the hard core limit is too low, skipped"; echo "0 passed, 0 failed"; exit 0; }
command -v gdb >/dev/null || { echo "core/run.sh: no gdb, skipped"; echo "0 passed, 0 failed"; exit 0; }
W=$(mktemp -d /tmp/ue-core.XXXXXX)
trap 'rm -rf "$W"' EXIT
pass=0 fail=0
for v in static dynamic; do
    flags=-g
    [ $v = static ] && flags="-g -static"
    gcc -m32 -O1 $flags -o "$W/crash_$v" "$T/core/crash.c" || { echo "FAIL $v: cannot build"; fail=$((fail + 1)); continue; }
    rm -rf "$W/run" && mkdir "$W/run"
    (cd "$W/run" && ulimit -c unlimited && "$UE" "../crash_$v" >/dev/null 2>&1; echo $? > status) 2>/dev/null
    core=$(cd "$W/run" && ls | grep -E '^core(\.|$)' | head -1)
    if [ "$(cat "$W/run/status")" != 139 ] || [ -z "$core" ]; then
        echo "FAIL $v: status $(cat "$W/run/status"), core '${core}'"; fail=$((fail + 1)); continue
    fi
    out=$(gdb -nx -batch -ex 'info registers eip' -ex bt "$W/crash_$v" "$W/run/$core" 2>&1)
    if printf '%s\n' "$out" | grep -q 'eip .*<ue_core_inner' &&
       printf '%s\n' "$out" | grep -q 'in ue_core_middle' &&
       printf '%s\n' "$out" | grep -q 'in main' &&
       printf '%s\n' "$out" | grep -q 'signal SIGSEGV'; then
        pass=$((pass + 1))
    else
        echo "FAIL $v: gdb says:"; printf '%s\n' "$out" | sed 's/^/    /'; fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
