#!/bin/bash
# one.sh SOURCE VARIANT: builds one memcheck test and runs it (see run.sh,
# which exports T B ROOT UE TOOL LIB VGROOT). Writes
# build/results/NAME.VARIANT.result: "PASS ..." or "FAIL ..." and details.
set -u
file=$1 v=$2
src=$T/$file
name=${file%.*}
id=$name.$v
res=$B/results/$id.result
W=$B/work/$id
rm -rf "$W"
mkdir -p "$W/xml"
ulimit -c 0

meta() {
    sed -n 's/^[ /*]*memcheck: *//p' "$1" | head -n 1 | tr ' ' '\n' | sed -n "s/^$2=//p"
}
verdict() { # PASS|FAIL message [detail file]
    { echo "$1 $id: $2"; [ -n "${3:-}" ] && [ -f "$3" ] && head -c 4000 "$3"; } > "$res"
    exit 0
}

build() { # SOURCE OUTPUT
    local s=$1 o=$2 cc=gcc
    case $s in *.cc) cc=g++ ;; esac
    if [ -x "$o" ] && [ "$o" -nt "$s" ] && [ "$o" -nt "$T/mc.h" ] && [ "$o" -nt "$T/one.sh" ]; then
        return 0
    fi
    local flags=(-m32 -g -w -fno-builtin -pthread -I"$ROOT/guest")
    case $v in
    O0) flags+=(-O0) ;;
    O2) flags+=(-O2 -fomit-frame-pointer) ;;
    static) flags+=(-O0 -static) ;;
    *) echo "unknown variant $v" > "$o.log"; return 1 ;;
    esac
    "$cc" "${flags[@]}" -o "$o" "$s" > "$o.log" 2>&1
}
bin=$B/bin/$id
build "$src" "$bin" || verdict FAIL "build failed" "$bin.log"

# How the tool runs an i386 program: valgrind through the root's ld.so.
prefix=()
if [ "$TOOL" = valgrind ] && [ "$v" != static ]; then
    prefix=("$VGROOT/lib/ld-linux.so.2" --library-path "$VGROOT/lib/i386-linux-gnu:$VGROOT/usr/lib/i386-linux-gnu")
fi
args_for() { # native|tool: the program's arguments (@exec:NAME: a command running helper NAME)
    local a out=()
    for a in $(meta "$src" args | tr ',' ' '); do
        case $a in
        @exec:*)
            local h=${a#@exec:}
            build "$T/$h.c" "$B/bin/$h.$v" || verdict FAIL "build of $h failed" "$B/bin/$h.$v.log"
            [ "$1" = tool ] && out+=("${prefix[@]}")
            out+=("$B/bin/$h.$v") ;;
        *) out+=("$a") ;;
        esac
    done
    printf '%s\n' "${out[@]}"
}
mapfile -t nargs < <(args_for native)
mapfile -t targs < <(args_for tool)
opts=()
for o in $(meta "$src" opt); do opts+=("$o"); done

want=$(meta "$src" exit)
sig=$(meta "$src" signal)
[ -n "$sig" ] && want=$((128 + sig))
want=${want:-0}

run() { # LABEL TIMEOUT CMD...: stdout in W/LABEL.out, status in $st
    local label=$1 to=$2
    shift 2
    { (cd "$W" && MC_VALUES=$W/$label.values exec timeout -k 5 "$to" "$@" < /dev/null > "$W/$label.out" 2> "$W/$label.err"); } 2> /dev/null
    st=$?
    [ "$st" = 124 ] && verdict FAIL "$label run timed out (${to}s)" "$W/$label.err"
}

run native 20 "$bin" "${nargs[@]}"
[ "$st" = "$want" ] || verdict FAIL "native run ended with status $st, the test says $want" "$W/native.err"
nst=$st

if [ "$v" != static ]; then
    run preload 20 env LD_PRELOAD="$LIB" "$bin" "${nargs[@]}"
    [ "$st" = "$nst" ] || verdict FAIL "with LD_PRELOAD=libuealloc.so natively: status $st, without $nst" "$W/preload.err"
    cmp -s "$W/native.out" "$W/preload.out" || { diff "$W/native.out" "$W/preload.out" > "$W/diff"; verdict FAIL "with LD_PRELOAD=libuealloc.so natively: stdout differs" "$W/diff"; }
fi

xml=(--xml=yes "--xml-file=$W/xml/mc.%p.xml" --leak-check=full)
if [ "$TOOL" = valgrind ]; then
    # Definedness is not checked by ue yet: valgrind checks addressability only.
    vg=(valgrind --tool=memcheck "${xml[@]}" --trace-children=yes --undef-value-errors=no ${VG_EXTRA:-})
    [ "$v" = static ] && vg+=(--soname-synonyms=somalloc=NONE)
    run tool 120 "${vg[@]}" "${opts[@]}" "${prefix[@]}" "$bin" "${targs[@]}"
else
    run tool 120 "$UE" --memcheck "${xml[@]}" "${opts[@]}" "$bin" "${targs[@]}"
fi
[ "$st" = "$nst" ] || verdict FAIL "under $TOOL: status $st, natively $nst" "$W/tool.err"
cmp -s "$W/native.out" "$W/tool.out" || { diff "$W/native.out" "$W/tool.out" > "$W/diff"; verdict FAIL "under $TOOL: stdout differs from the native run's" "$W/diff"; }

python3 "$T/check.py" "$src" "$v" "$TOOL" "$W/xml" "$W/tool.values" > "$W/check.txt" 2>&1 ||
    verdict FAIL "the $TOOL XML does not match the expectations" "$W/check.txt"
verdict PASS ok
