#!/bin/bash
# --strace against the real strace: one i386 program traced natively by
# strace(1) and under ue --strace; the lines of the calls whose buffers the
# syscall table describes must be identical once guest addresses are masked
# (they differ between the two stacks). ioctl lines are compared up to the
# request (strace decodes the argument, ue shows its address). Ends with
# "N passed, N failed".
set -u
S=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$(dirname "$S")")
UE=${UE:-$ROOT/ue}
B=$ROOT/tests/build/strace
CALLS='read,write,pread64,pwrite64,readlink,ioctl'
mkdir -p "$B"
if ! command -v strace >/dev/null; then
    echo "strace: strace(1) is not installed (tests/setup.sh installs it)"
    echo "0 passed, 1 failed"
    exit 1
fi
gcc -m32 -static -O0 -o "$B/prog" "$S/prog.c" || { echo "0 passed, 1 failed"; exit 1; }
mask() {
    grep -E "^($(echo "$CALLS" | tr , '|'))\(" | sed -E 's/0x[0-9a-f]{6,}/ADDR/g' |
        sed -E 's/^(ioctl\(-?[0-9]+, (_IOC\([^)]*\)|[A-Z0-9_]+)).*\) += /\1, ...) = /'
}
(cd "$B" && strace -qq -s 32 -e trace="$CALLS" -o native.raw ./prog >/dev/null)
(cd "$B" && "$UE" --strace ./prog 2>ue.raw >/dev/null)
mask < "$B/native.raw" > "$B/native.txt"
mask < "$B/ue.raw" > "$B/ue.txt"
lines=$(wc -l < "$B/native.txt")
if [ "$lines" -lt 10 ]; then
    echo "strace: only $lines native lines: the test is broken"
    echo "0 passed, 1 failed"
    exit 1
fi
# every number names.c calls is printed by its name from the table
gcc -m32 -static -O0 -o "$B/names" "$S/names.c" || { echo "0 passed, 1 failed"; exit 1; }
"$UE" --strace "$B/names" 2>"$B/names.raw" >/dev/null
want=$(sed -n 's/^ *\([0-9, ]*\),$/\1/p' "$S/names.c" | tr -d ' ' | tr , '\n' | grep . | while read -r nr; do
    sed -n "s/^\(SYSCALL\|NOSYS\|NISYS\)($nr, \([a-z0-9_]*\).*/\2/p" "$ROOT/src/os/systab.h"; done)
got=$(sed -n 's/^\([a-z0-9_]*\)(.*/\1/p' "$B/names.raw" | grep -vE '^(execve|brk|arch_prctl|set_thread_area|set_tid_address|set_robust_list|rseq|prlimit64|uname|readlink|getrandom|mprotect|exit_group|statx|access|ugetrlimit|mmap2|munmap)$')
if [ "$want" != "$got" ]; then
    echo "strace: names differ from the table:"
    diff <(echo "$want") <(echo "$got")
    echo "0 passed, 1 failed"
    exit 1
fi
if diff -u "$B/native.txt" "$B/ue.txt" > "$B/diff.txt"; then
    echo "strace: $lines lines identical to strace(1)"
    echo "1 passed, 0 failed"
else
    echo "strace: ue --strace differs from strace(1):"
    cat "$B/diff.txt"
    echo "0 passed, 1 failed"
    exit 1
fi
