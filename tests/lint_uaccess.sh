#!/bin/bash
# System calls and the loader reach guest memory only through the
# user-access API (src/mem/uaccess.h), which survives faults and counts what
# moved. This check fails on any other way from a guest address to a host
# pointer in src/os and src/loader: g2h(), guest_base, or the retired
# helpers. A line that only names an address (shmat's placement, the guard)
# says so with a "uaccess-ok: why" comment.
cd "$(dirname "$0")/.." || exit 2
bad=$(grep -nE '\bg2h\(|\bguest_base\b|\bguest_ptr\(|\bguest_str\(|\bcopy_(from|to)_guest\(|\bgbuf(_prefix)?\(' \
        src/os/*.[ch] src/loader/*.[ch] | grep -v 'uaccess-ok: ')
if [ -n "$bad" ]; then
    echo "lint: guest memory reached outside the user-access API (src/mem/uaccess.h):"
    echo "$bad"
    exit 1
fi
echo "lint: guest memory in src/os and src/loader only through uaccess.h"
