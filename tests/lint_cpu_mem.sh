#!/bin/bash
# The interpreter reaches guest memory only through its accessors
# (src/cpu/guestmem.h): the checked build (memcheck) sees every access there.
# This check fails on any other way from a guest address to a host pointer
# in src/cpu: g2h(), h2g(), guest_base, or an address cast to a pointer.
cd "$(dirname "$0")/.." || exit 2
bad=$(grep -nE '\bg2h\(|\bh2g\(|\bguest_base\b|\(u?int(ptr|8|16|32|64)_t \*\)\(uintptr_t\)' \
        $(ls src/cpu/*.[ch] | grep -v '^src/cpu/guestmem\.h$'))
if [ -n "$bad" ]; then
    echo "lint: guest memory reached outside the CPU's accessors (src/cpu/guestmem.h):"
    echo "$bad"
    exit 1
fi
echo "lint: guest memory in src/cpu only through guestmem.h"
