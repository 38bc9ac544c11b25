#!/bin/bash
# make check-real: real Debian i386 programs run natively and under ue.
# Downloads (once, cached in tests/build/real/debs) busybox-static,
# coreutils, lua5.4 and gawk for i386 with their libraries via apt-get download, unpacks them
# with dpkg -x into tests/build/real/root, and compares stdout, stderr and
# exit status of:
#   - busybox sh scripts (tests/real/*.sh) using more than 20 applets;
#   - the coreutils commands in tests/real/coreutils.txt on multi-MB inputs;
#   - lua5.4 and gawk floating-point scripts (tests/real/float.lua, float.awk);
#   - LuaJIT, a JIT in the guest (tests/real/guestjit.lua).
# Dynamic programs run natively as root/lib/ld-linux.so.2 --library-path ...
# PROG, and under ue as ue root/lib/ld-linux.so.2 --library-path ... PROG;
# two more use ue --sysroot root PROG.  Ends with "N passed, N failed".
# usage: tests/real/run.sh [--ue PATH] [PATTERN...]
set -u
T=$(cd "$(dirname "$0")/.." && pwd)
ROOTDIR=$(dirname "$T")
UE=${UE:-$ROOTDIR/ue}
PATTERNS=()
while [ $# -gt 0 ]; do
    case "$1" in
    --ue) UE=$2; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) PATTERNS+=("$1") ;;
    esac
    shift
done
case "$UE" in /*) ;; *) UE=$(cd "$(dirname "$UE")" && pwd)/$(basename "$UE") ;; esac
[ -x "$UE" ] || { echo "real/run.sh: $UE not found (make ue first)" >&2; exit 2; }

R=$T/build/real
DEBS=$R/debs
ROOT=$R/root
DATA=$R/data
RES=$R/results
mkdir -p "$DEBS" "$RES"
rm -f "$RES"/* "$RES/.download-failed"

PKGS="busybox-static coreutils lua5.4 luajit libluajit-5.1-2 gawk libc6 libgcc-s1 libacl1 libattr1 libgmp10 libselinux1 libpcre2-8-0 libreadline8 libtinfo6 libmpfr6 libsigsegv2"

# 1. Download what is not in the cache.
missing=()
for p in $PKGS; do
    ls "$DEBS/${p}_"*_i386.deb >/dev/null 2>&1 || missing+=("$p:i386")
done
if [ ${#missing[@]} -gt 0 ]; then
    "$T/setup.sh" --real || { echo "real/run.sh: setup failed" >&2; touch "$RES/.download-failed"; exit 3; }
    if ! (cd "$DEBS" && apt-get download "${missing[@]}" >&2); then
        # The package lists may be stale: refresh once and retry.
        apt-get update -qq >&2 || true
        (cd "$DEBS" && apt-get download "${missing[@]}" >&2) || {
            echo "real/run.sh: cannot download ${missing[*]} from the Debian archive" >&2
            touch "$RES/.download-failed"
            exit 3
        }
    fi
fi

# 2. Unpack (again when the set of debs changed).
stamp=$(ls "$DEBS"/*.deb | sort | md5sum | cut -d' ' -f1)
if [ ! -f "$ROOT/.stamp" ] || [ "$(cat "$ROOT/.stamp")" != "$stamp" ]; then
    rm -rf "$ROOT"
    mkdir -p "$ROOT"
    for d in "$DEBS"/*.deb; do
        dpkg -x "$d" "$ROOT" || { echo "real/run.sh: dpkg -x $d failed" >&2; exit 3; }
    done
    echo "$stamp" > "$ROOT/.stamp"
fi
LD=$ROOT/lib/ld-linux.so.2
[ -e "$LD" ] || LD=$ROOT/lib/i386-linux-gnu/ld-linux.so.2
LP=$ROOT/lib/i386-linux-gnu:$ROOT/usr/lib/i386-linux-gnu
BUSYBOX=$ROOT/bin/busybox
for f in "$LD" "$BUSYBOX" "$ROOT/bin/ls"; do
    [ -e "$f" ] || { echo "real/run.sh: $f missing after unpacking" >&2; exit 3; }
done

# 3. Inputs (deterministic, made once with the host's tools).
if [ ! -f "$DATA/.done" ]; then
    rm -rf "$DATA"
    mkdir -p "$DATA/dir/sub"
    awk 'BEGIN { x = 12345; for (i = 0; i < 120000; i++) {
            x = (x * 1103515245 + 12345) % 2147483648;
            printf "w%07d,%d,%s,%d\n", x % 9999991, x % 100000, substr("alphabravocharliedeltaechofoxtrot", x % 30 + 1, 4 + x % 5), i } }' \
        > "$DATA/big.txt"
    { gzip -n -9 -c "$DATA/big.txt"; gzip -n -1 -c "$DATA/big.txt"; } > "$DATA/big.bin"
    base64 "$DATA/big.bin" > "$DATA/big.b64"
    sort "$DATA/big.txt" | cut -c1-3 > "$DATA/sorted.txt"
    seq 1 100 > "$DATA/dir/file1"
    awk 'BEGIN { for (i = 0; i < 40; i++) print "line " i " of the second file with some text" }' > "$DATA/dir/file2"
    : > "$DATA/dir/file3"
    printf 'x' > "$DATA/dir/sub/inner"
    ln -s file1 "$DATA/dir/link"
    chmod 600 "$DATA/dir/file3"
    chmod 755 "$DATA/dir/sub"
    touch -h -d '2001-02-03 04:05:06' "$DATA/dir/file1" "$DATA/dir/file2" "$DATA/dir/file3" "$DATA/dir/sub/inner" \
        "$DATA/dir/link" "$DATA/dir/sub" "$DATA/dir"
    touch "$DATA/.done"
fi

# Applet links so that busybox sh finds busybox applets (and nothing of the host's).
BB=$R/bbin
if [ ! -x "$BB/sh" ]; then
    mkdir -p "$BB"
    for a in $("$BUSYBOX" --list); do
        ln -sf "$BUSYBOX" "$BB/$a"
    done
fi

gcc -O2 -o "$R/runner" "$T/harness/runner.c" || { echo "real/run.sh: cannot build the runner" >&2; exit 2; }
ENVV=(PATH="$BB" HOME=/ LC_ALL=C TZ=UTC)

matches() {
    [ ${#PATTERNS[@]} -eq 0 ] && return 0
    local p
    for p in "${PATTERNS[@]}"; do case "$1" in *"$p"*) return 0 ;; esac; done
    return 1
}

pass=0
fail=0
# check NAME WORKDIR STDIN NATIVE-CMD... -- UE-CMD...
check() {
    local name=$1 wd=$2 in=$3
    shift 3
    local native=() ue=()
    while [ "$1" != -- ]; do native+=("$1"); shift; done
    shift
    ue=("$@")
    matches "$name" || return 0
    local b=$RES/$name
    for side in native ue; do
        local w=$wd
        if [ "$wd" = fresh ]; then
            w=$R/work/$name
            rm -rf "$w"
            mkdir -p "$w"
        fi
        if [ $side = native ]; then
            (cd "$w" && env -i "${ENVV[@]}" "$R/runner" -t 300 -i "$in" -o "$b.native.out" -e "$b.native.err" -- "${native[@]}" > "$b.native.status")
        else
            (cd "$w" && env -i "${ENVV[@]}" "$R/runner" -t 1800 -i "$in" -o "$b.ue.out" -e "$b.ue.err" -- "${ue[@]}" > "$b.ue.status")
        fi
        [ "$wd" = fresh ] && rm -rf "$w"
    done
    local what ext d
    for ext in status out err; do
        if ! cmp -s "$b.native.$ext" "$b.ue.$ext"; then
            case $ext in out) what=stdout ;; err) what=stderr ;; *) what=status ;; esac
            d=$(diff "$b.native.$ext" "$b.ue.$ext" 2>/dev/null | grep '^[<>]' | head -n 4 | cut -c1-100 | tr '\n' '|')
            [ -z "$d" ] && d="binary output differs"
            echo "FAIL real:$name: $what differs: ${d%|}"
            fail=$((fail + 1))
            return 0
        fi
    done
    if grep -q '^execfail' "$b.native.status"; then
        echo "FAIL real:$name: native run could not start: $(cat "$b.native.status")"
        fail=$((fail + 1))
        return 0
    fi
    pass=$((pass + 1))
}

for s in "$T"/real/*.sh; do
    [ "$s" = "$T/real/run.sh" ] && continue
    n=busybox-$(basename "$s" .sh)
    check "$n" fresh /dev/null "$BUSYBOX" sh "$s" -- "$UE" "$BUSYBOX" sh "$s"
done
# A static busybox applet run directly, and the shell reading a script from stdin.
check busybox-stdin fresh "$T/real/text.sh" "$BUSYBOX" sh -s -- "$UE" "$BUSYBOX" sh -s
check busybox-sort-applet "$DATA" /dev/null "$BUSYBOX" sort -t, -k3,3 -k1,1 big.txt -- "$UE" "$BUSYBOX" sort -t, -k3,3 -k1,1 big.txt

while read -r name prog args; do
    case "$name" in ''|'#'*) continue ;; esac
    in=/dev/null
    read -ra words <<< "$args"
    if [ ${#words[@]} -ge 2 ] && [ "${words[-2]}" = "<" ]; then
        in=$DATA/${words[-1]}
        words=("${words[@]:0:${#words[@]}-2}")
    fi
    p=$ROOT/bin/$prog
    [ -e "$p" ] || p=$ROOT/usr/bin/$prog
    check "coreutils-$name" "$DATA" "$in" "$LD" --library-path "$LP" "$p" "${words[@]}" \
        -- "$UE" "$LD" --library-path "$LP" "$p" "${words[@]}"
done < "$T/real/coreutils.txt"

# Floating-point scripts: lua5.4 and gawk print doubles computed on the x87.
check lua-float "$DATA" /dev/null "$LD" --library-path "$LP" "$ROOT/usr/bin/lua5.4" "$T/real/float.lua" \
    -- "$UE" "$LD" --library-path "$LP" "$ROOT/usr/bin/lua5.4" "$T/real/float.lua"
# A JIT in the guest: LuaJIT writes x86 code and runs it (self-modifying code
# at full speed, under ue's own translator too).
check luajit "$DATA" /dev/null "$LD" --library-path "$LP" "$ROOT/usr/bin/luajit" "$T/real/guestjit.lua" \
    -- "$UE" "$LD" --library-path "$LP" "$ROOT/usr/bin/luajit" "$T/real/guestjit.lua"
check gawk-float "$DATA" /dev/null "$LD" --library-path "$LP" "$ROOT/usr/bin/gawk" -f "$T/real/float.awk" \
    -- "$UE" "$LD" --library-path "$LP" "$ROOT/usr/bin/gawk" -f "$T/real/float.awk"
check gawk-fields "$DATA" /dev/null "$LD" --library-path "$LP" "$ROOT/usr/bin/gawk" -F, \
    '{ s += $2; q += $2 * $2 / 7.0 } END { printf "%.17g %.17g %d\n", s / NR, sqrt(q / NR), NR }' big.txt \
    -- "$UE" "$LD" --library-path "$LP" "$ROOT/usr/bin/gawk" -F, \
    '{ s += $2; q += $2 * $2 / 7.0 } END { printf "%.17g %.17g %d\n", s / NR, sqrt(q / NR), NR }' big.txt

# --sysroot: ue finds the i386 ld.so inside the unpacked root; natively the
# host's /lib/ld-linux.so.2 loads it, both with the root's libraries.
if [ -e /lib/ld-linux.so.2 ]; then
    ENVV+=(LD_LIBRARY_PATH="$LP")
    check sysroot-ls "$DATA" /dev/null "$ROOT/bin/ls" -l dir -- "$UE" --sysroot "$ROOT" "$ROOT/bin/ls" -l dir
    check sysroot-sort "$DATA" /dev/null "$ROOT/usr/bin/sort" -r big.txt -- "$UE" --sysroot "$ROOT" "$ROOT/usr/bin/sort" -r big.txt
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
