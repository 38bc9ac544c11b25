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
if diff -u "$B/native.txt" "$B/ue.txt" > "$B/diff.txt"; then
    echo "strace: $lines lines identical to strace(1)"
    echo "1 passed, 0 failed"
else
    echo "strace: ue --strace differs from strace(1):"
    cat "$B/diff.txt"
    echo "0 passed, 1 failed"
    exit 1
fi
