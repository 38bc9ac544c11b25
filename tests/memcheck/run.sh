#!/bin/bash
# Memcheck tests: every program in tests/memcheck/ (C, and C++ in .cc) is built
# for i386 in the variants its "memcheck:" line names (O0: dynamic -O0; O2:
# dynamic -O2 without frame pointers, for CFI unwinding; static: -static -O0)
# and run two or three ways:
#   natively                        must end as the line says (exit=N / signal=N)
#   natively with LD_PRELOAD=libuealloc.so (dynamic variants): the same stdout
#                                   and status (the library does nothing natively)
#   under ue --memcheck --xml=yes   the same stdout and status as natively, and
#                                   the XML must hold exactly the errors the
#                                   source's "expect" lines describe (check.py)
# A missing ue feature fails the test; nothing is skipped (valgrind mode leaves
# out the static variants: valgrind cannot replace malloc there).
# Ends with the line "N passed, N failed".
#
# usage: tests/memcheck/run.sh [options] [PATTERN...]
#   PATTERN       only tests whose NAME.VARIANT contains PATTERN
#   --ue PATH     the emulator (default ./ue, or $UE)
#   --valgrind    run under valgrind --tool=memcheck instead of ue: checks the
#                 expectations themselves (fetches the Debian i386 libc and its
#                 debug symbols into tests/memcheck/build/root: valgrind needs
#                 ld.so's symbols; programs run through that root's ld.so);
#                 $VG_EXTRA adds valgrind options (e.g. --run-libc-freeres=no)
#   -j N          parallel jobs (default 2)
#   -v            print each failure's details
set -u
T=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$T/../.." && pwd)
B=$T/build
UE=${UE:-$ROOT/ue}
TOOL=ue
JOBS=2
VERBOSE=0
PATTERNS=()
while [ $# -gt 0 ]; do
    case "$1" in
    --ue) UE=$2; shift ;;
    --valgrind) TOOL=valgrind ;;
    -j) JOBS=$2; shift ;;
    -j*) JOBS=${1#-j} ;;
    -v) VERBOSE=1 ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "memcheck/run.sh: unknown option $1" >&2; exit 2 ;;
    *) PATTERNS+=("$1") ;;
    esac
    shift
done
case "$UE" in /*) ;; *) UE=$(cd "$(dirname "$UE")" && pwd)/$(basename "$UE") ;; esac
LIB=$(dirname "$UE")/libuealloc.so
[ "$TOOL" = valgrind ] && LIB=$ROOT/libuealloc.so

if ! command -v python3 > /dev/null; then
    echo "memcheck/run.sh: python3 is needed (tests/setup.sh installs it)" >&2
    exit 2
fi
if [ "$TOOL" = ue ] && [ ! -x "$UE" ]; then
    echo "memcheck/run.sh: $UE not found (make, or --ue PATH)" >&2
    exit 2
fi
if [ ! -f "$LIB" ]; then
    echo "memcheck/run.sh: $LIB not found (make libuealloc.so)" >&2
    exit 2
fi

# Valgrind's oracle runs need an i386 libc with symbols: the host's
# multilib libc6-i386 has no debug package.
VGROOT=$B/root
if [ "$TOOL" = valgrind ] && [ ! -f "$VGROOT/.complete" ]; then
    command -v valgrind > /dev/null || { echo "memcheck/run.sh: no valgrind" >&2; exit 2; }
    rm -rf "$VGROOT" "$B/debs"
    mkdir -p "$B/debs" "$VGROOT"
    chmod 777 "$B/debs"
    (cd "$B/debs" && apt-get download -q libc6:i386 libc6-dbg:i386 libstdc++6:i386 libgcc-s1:i386 > ../debs.log 2>&1) ||
        { echo "memcheck/run.sh: apt-get download of the i386 libc failed (see $B/debs.log; dpkg --add-architecture i386 && apt-get update?)" >&2; exit 2; }
    for d in "$B"/debs/*.deb; do dpkg -x "$d" "$VGROOT"; done
    # valgrind finds the detached symbols through .gnu_debuglink in DIR/.debug/.
    for lib in "$VGROOT"/lib/i386-linux-gnu/*.so* "$VGROOT"/usr/lib/i386-linux-gnu/*.so*; do
        [ -L "$lib" ] && continue
        id=$(readelf -n "$lib" 2> /dev/null | awk '/Build ID/ {print $3}')
        dbg=$VGROOT/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug
        if [ -n "$id" ] && [ -f "$dbg" ]; then
            mkdir -p "$(dirname "$lib")/.debug"
            ln -sf "$dbg" "$(dirname "$lib")/.debug/${id:2}.debug"
        fi
    done
    touch "$VGROOT/.complete"
fi
export T B ROOT UE TOOL LIB VGROOT VERBOSE

mkdir -p "$B/bin" "$B/results" "$B/work"
rm -f "$B/results"/*

# The "memcheck:" line's field KEY of SRC.
meta() {
    sed -n 's/^[ /*]*memcheck: *//p' "$1" | head -n 1 | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# Cases: "SOURCE VARIANT", those whose NAME.VARIANT contains a PATTERN.
all=()
for src in "$T"/*.c "$T"/*.cc; do
    [ -e "$src" ] || continue
    name=${src##*/}; name=${name%.*}
    for v in $(meta "$src" variants | tr ',' ' '); do   # none: a helper (exec target)
        # valgrind cannot replace malloc in a static program (no preload).
        [ "$TOOL" = valgrind ] && [ "$v" = static ] && continue
        all+=("$name.$v ${src##*/} $v")
    done
done
filter=(cat)
[ ${#PATTERNS[@]} -gt 0 ] && filter=(grep -F "${PATTERNS[@]/#/-e}")
mapfile -t cases < <(printf '%s\n' "${all[@]}" | "${filter[@]}" | cut -d' ' -f2-)
[ ${#cases[@]} -gt 0 ] || { echo "memcheck/run.sh: no test matches" >&2; exit 2; }

printf '%s\n' "${cases[@]}" | xargs -P "$JOBS" -L 1 "$T/one.sh"

pass=0
fail=0
for c in "${cases[@]}"; do
    set -- $c
    r=$B/results/${1%.*}.$2.result
    if [ -f "$r" ] && [ "$(head -c 4 "$r")" = PASS ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        if [ -f "$r" ]; then
            head -n 1 "$r"
            [ "$VERBOSE" = 1 ] && tail -n +2 "$r" | sed 's/^/    /'
        else
            echo "FAIL ${1%.*}.$2: no result"
        fi
    fi
done
echo "$pass passed, $fail failed ($TOOL)"
[ "$fail" -eq 0 ]
