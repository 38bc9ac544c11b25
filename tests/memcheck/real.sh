#!/bin/bash
# make check-real, second half: the real programs of tests/real under ue --memcheck.
# Their output must still be the native one (tests/real/run.sh compares), and
# every process ue checked (each fork and exec writes its own log) must end
# with "ERROR SUMMARY: 0 errors": clean programs, no false positives.
# usage: tests/memcheck/real.sh [--ue PATH] [PATTERN...]
set -u
T=$(cd "$(dirname "$0")/.." && pwd)
ROOTDIR=$(dirname "$T")
UE=$ROOTDIR/ue
if [ "${1:-}" = --ue ]; then UE=$2; shift 2; fi
case "$UE" in /*) ;; *) UE=$(cd "$(dirname "$UE")" && pwd)/$(basename "$UE") ;; esac
W=$T/build/real/memcheck
rm -rf "$W"
mkdir -p "$W/logs"
cat > "$W/ue" <<WRAP
#!/bin/sh
exec "$UE" --memcheck --log-file="$W/logs/%p.log" "\$@"
WRAP
chmod +x "$W/ue"
"$T/real/run.sh" --ue "$W/ue" "$@"
rc=$?
[ "$rc" = 0 ] || exit "$rc"
n=$(find "$W/logs" -name '*.log' | wc -l)
if [ "$n" = 0 ]; then
    echo "memcheck/real.sh: no memcheck logs were written" >&2
    exit 1
fi
bad=$(grep -L 'ERROR SUMMARY: 0 errors from 0 contexts' "$W"/logs/*.log)
if [ -n "$bad" ]; then
    for f in $bad; do
        echo "== $f"
        head -40 "$f"
    done
    echo "memcheck: $(echo "$bad" | wc -l) of $n checked processes reported errors" >&2
    exit 1
fi
echo "memcheck: $n checked processes, 0 errors"
