#!/bin/bash
# The ue benchmark: builds the workloads in bench/workloads/ for i386, runs each
# under every tool (native, qemu-i386, valgrind --tool=none, ue, ue with its
# translator off, valgrind --tool=memcheck, ue --memcheck), round-robin, several
# runs each, checks every run's output against the native run's, and reports
# median wall time (for 7zip: 7-Zip's own rating), ratio to native, ue/qemu,
# ue-memcheck/valgrind-memcheck, geometric means and peak RSS.
#
# Writes: a table on stdout, bench/results/latest.csv, bench/results/ratios.png
#
# Environment:
#   BENCH_RUNS=N       runs per workload and tool (default 3)
#   BENCH_QUICK=1      one run, smaller inputs (a smoke test of the harness)
#   BENCH_TIMEOUT=S    per-run time limit in seconds (default 120)
#   BENCH_ONLY="a b"   only these workloads (names as in the table)
#   BENCH_TOOLS="..."  only these tools: native qemu vgnone ue uenojit vgmc uemc
#                      (native always runs: it is the reference)
#   UE=PATH            the emulator (default ./ue)
#   BENCH_UE_NOJIT="..." how the ue-nojit column turns the translator off
#                      (default: the value of UE_NOJIT below)
#   BENCH_NO_INSTALL=1 do not apt-get missing tools, do not fetch the Debian
#                      packages (an existing bench/build/root is still used)
set -u
B=$(cd "$(dirname "$0")" && pwd)
ROOTDIR=$(dirname "$B")
BUILD=$B/build
RES=$B/results
SYSROOT=$BUILD/root
OUT=$BUILD/out
QUICK=${BENCH_QUICK:-0}
[ "$QUICK" = 0 ] && RUNS=${BENCH_RUNS:-3} || RUNS=${BENCH_RUNS:-1}
TIMEOUT=${BENCH_TIMEOUT:-120}
UE=${UE:-$ROOTDIR/ue}
case "$UE" in /*) ;; *) UE=$PWD/$UE ;; esac
# The ue-nojit column: ue with its translator turned off.  Words NAME=VALUE go
# into ue's environment, the other words are ue options.  ue takes UE_JIT=off
# and --no-jit alike (doc/jit.md); a ue from before the translator ignores
# UE_JIT (the column then equals ue) and refuses --no-jit (the column: n/a).
UE_NOJIT=${BENCH_UE_NOJIT:---no-jit}
NOJIT_ENV=() NOJIT_OPT=()
for word in $UE_NOJIT; do
    case $word in *=*) NOJIT_ENV+=("$word") ;; *) NOJIT_OPT+=("$word") ;; esac
done
NO_INSTALL=${BENCH_NO_INSTALL:-0}

TOOLS=(native qemu vgnone ue uenojit vgmc uemc)
declare -A TOOL_TITLE=([native]=native [qemu]=qemu-i386 [vgnone]=vg-none [ue]=ue
    [uenojit]=ue-nojit [vgmc]=vg-memcheck [uemc]=ue-memcheck)
WORKLOADS=(sha256 sieve sort interp nbody_x87 nbody_sse2 bintrees strmem syscalls
    startup lua python sqlite 7zip cc1)
# Rows that run only some tools: the two long real programs skip valgrind
# (minutes per run) to keep the bench within its time budget.
declare -A ROW_TOOLS=([7zip]="native qemu ue uenojit" [cc1]="native qemu ue uenojit")

say() { echo "bench: $*" >&2; }

# --- tools -----------------------------------------------------------------
apt_install() {
    [ "$NO_INSTALL" = 1 ] && return 1
    command -v apt-get > /dev/null && [ "$(id -u)" = 0 ] || return 1
    say "installing $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" > "$BUILD/apt.log" 2>&1 && return 0
    apt-get update -q >> "$BUILD/apt.log" 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >> "$BUILD/apt.log" 2>&1
}

mkdir -p "$BUILD" "$RES" "$OUT"
command -v qemu-i386 > /dev/null || apt_install qemu-user || say "qemu-user could not be installed"
command -v valgrind > /dev/null || apt_install valgrind || say "valgrind could not be installed"
command -v gnuplot > /dev/null || apt_install gnuplot-nox || say "gnuplot could not be installed: no plot"
echo 'int main(void){return 0;}' > "$BUILD/probe.c"
if ! gcc -m32 -static -o "$BUILD/probe" "$BUILD/probe.c" 2> /dev/null; then
    apt_install gcc-multilib
    gcc -m32 -static -o "$BUILD/probe" "$BUILD/probe.c" || { say "gcc -m32 does not work"; exit 1; }
fi

declare -A TOOL_STATE # "" = usable, otherwise the text its column shows
command -v qemu-i386 > /dev/null || TOOL_STATE[qemu]="not installed"
if ! command -v valgrind > /dev/null; then
    TOOL_STATE[vgnone]="not installed"
    TOOL_STATE[vgmc]="not installed"
fi
if [ ! -x "$UE" ]; then
    TOOL_STATE[ue]="not installed"
    TOOL_STATE[uenojit]="not installed"
    TOOL_STATE[uemc]="not installed"
else
    "$UE" --memcheck "$BUILD/probe" > /dev/null 2>&1 || TOOL_STATE[uemc]="n/a" # no --memcheck (yet)
    env "${NOJIT_ENV[@]}" "$UE" "${NOJIT_OPT[@]}" "$BUILD/probe" > /dev/null 2>&1 ||
        TOOL_STATE[uenojit]="n/a" # ue does not take $UE_NOJIT
fi
if [ -n "${BENCH_TOOLS:-}" ]; then
    for t in "${TOOLS[@]}"; do
        [ "$t" = native ] && continue
        case " $BENCH_TOOLS " in *" $t "*) ;; *) TOOL_STATE[$t]=skipped ;; esac
    done
fi

# --- build -----------------------------------------------------------------
gcc -O2 -Wall -o "$BUILD/measure" "$B/measure.c" || { say "cannot build measure"; exit 1; }
MEASURE=$BUILD/measure

[ "$NO_INSTALL" = 1 ] || "$B/fetch-root.sh" "$SYSROOT"
HAVE_ROOT=0
[ -f "$SYSROOT/.complete" ] && HAVE_ROOT=1
LIBPATH=$SYSROOT/lib/i386-linux-gnu:$SYSROOT/usr/lib/i386-linux-gnu

declare -A ROW_NOTE # a workload that cannot run says why in its row
build_c() { # NAME SOURCE FLAGS...
    local name=$1 src=$B/workloads/$2
    shift 2
    local out=$BUILD/$name
    if [ -x "$out" ] && [ "$out" -nt "$src" ] && [ "$out" -nt "$B/workloads/bench.h" ] &&
        [ "$out" -nt "$0" ]; then
        return 0
    fi
    if ! gcc -m32 -O2 -Wall "$@" -o "$out" "$src" -lm > "$BUILD/$name.buildlog" 2>&1; then
        ROW_NOTE[$name]="build failed (bench/build/$name.buildlog)"
        rm -f "$out"
    fi
}
for w in sha256 sieve sort interp bintrees strmem syscalls; do
    build_c "$w" "$w.c" -static
done
build_c nbody_x87 nbody.c -static -mfpmath=387
build_c nbody_sse2 nbody.c -static -msse2 -mfpmath=sse
# The memcheck columns run dynamic builds of the same sources: valgrind
# replaces malloc only in dynamic programs (ue also does in static ones),
# so both checkers then see every allocation.
for w in sha256 sieve sort interp bintrees strmem syscalls; do
    build_c "$w.dyn" "$w.c"
done
build_c nbody_x87.dyn nbody.c -mfpmath=387
build_c nbody_sse2.dyn nbody.c -msse2 -mfpmath=sse
# The start-up hello uses the fetched i386 libc when there is one: memcheck
# needs that libc's debug symbols, and every tool then loads the same libc.
rm -f "$BUILD/hello"
if [ "$HAVE_ROOT" = 1 ]; then
    build_c hello hello.c "-Wl,--dynamic-linker=$SYSROOT/lib/ld-linux.so.2" \
        "-Wl,-rpath,$SYSROOT/lib/i386-linux-gnu"
else
    build_c hello hello.c
fi
[ -n "${ROW_NOTE[hello]:-}" ] && ROW_NOTE[startup]=${ROW_NOTE[hello]}
# The cc1 row's input: C workloads preprocessed by the host (workloads/cc1.c).
quickdef=()
[ "$QUICK" = 0 ] || quickdef=(-DQUICK)
if ! gcc -m32 -E -P "${quickdef[@]}" -o "$BUILD/cc1in.i" "$B/workloads/cc1.c" 2> "$BUILD/cc1in.buildlog"; then
    ROW_NOTE[cc1]="build failed (bench/build/cc1in.buildlog)"
fi

declare -A DEBIAN_PROG=([lua]=usr/bin/lua5.4 [python]=usr/bin/python3.11 [sqlite]=usr/bin/sqlite3
    [7zip]=usr/bin/7zz [cc1]=usr/lib/gcc/i686-linux-gnu/12/cc1)
declare -A DEBIAN_PKG=([lua]=lua5.4:i386 [python]=python3.11-minimal:i386 [sqlite]=sqlite3:i386
    [7zip]=7zip:i386 [cc1]=cpp-12:i386)
for w in "${!DEBIAN_PROG[@]}"; do
    if [ "$HAVE_ROOT" = 0 ] || [ ! -x "$SYSROOT/${DEBIAN_PROG[$w]}" ]; then
        ROW_NOTE[$w]="not fetched (${DEBIAN_PKG[$w]})"
    fi
done

# --- workloads -------------------------------------------------------------
# Sets ARGS (workload arguments), REPEAT (runs per cell: start-up) and INPUT.
workload_args() {
    local w=$1 q=$QUICK
    REPEAT=1 INPUT=
    case $w in
    sha256) [ "$q" = 0 ] && ARGS=(65536) || ARGS=(2048) ;;   # native ~0.2 s: short runs make noisy ratios
    sieve) [ "$q" = 0 ] && ARGS=(48000000) || ARGS=(2000000) ;;
    sort) [ "$q" = 0 ] && ARGS=(1000000) || ARGS=(30000) ;;
    interp) [ "$q" = 0 ] && ARGS=(120000) || ARGS=(5000) ;;
    nbody_x87 | nbody_sse2) [ "$q" = 0 ] && ARGS=(300000) || ARGS=(30000) ;;
    bintrees) [ "$q" = 0 ] && ARGS=(14) || ARGS=(11) ;;
    strmem) [ "$q" = 0 ] && ARGS=(200) || ARGS=(30) ;;
    syscalls) [ "$q" = 0 ] && ARGS=(20000) || ARGS=(3000) ;;
    startup) ARGS=() && { [ "$q" = 0 ] && REPEAT=100 || REPEAT=20; } ;;  # launches per cell
    lua) [ "$q" = 0 ] && ARGS=("$B/workloads/numeric.lua" 160) || ARGS=("$B/workloads/numeric.lua" 60) ;;
    python) [ "$q" = 0 ] && ARGS=(-I "$B/workloads/pybench.py" 6000) || ARGS=(-I "$B/workloads/pybench.py" 1000) ;;
    sqlite)
        local rows=30000
        [ "$q" = 1 ] && rows=5000
        sed "s/@ROWS@/$rows/" "$B/workloads/sqlite.sql.in" > "$BUILD/sqlite.sql"
        ARGS=(:memory:) INPUT=$BUILD/sqlite.sql
        ;;
    # 7-Zip's LZMA benchmark, one thread, one pass, a 256 KiB dictionary and a
    # fixed amount of work (2^tic instructions' worth) instead of its default
    # four seconds per test; it always starts with a CPU frequency test
    # (~1 s native, ~10 s under an interpreter) that the rating leaves out.
    7zip) [ "$q" = 0 ] && ARGS=(b 1 -mmt1 -md18 -mtic=30) || ARGS=(b 1 -mmt1 -md18 -mtic=27) ;;
    cc1) ARGS=(-quiet -O2 "$BUILD/cc1in.i" -o -) ;;   # the assembly goes to stdout
    esac
}

# Rows whose figure is the program's own rating (higher = faster), not time.
# rating W OUT: prints the rating from output file OUT, nothing if none.
declare -A RATED=([7zip]=1)
rating() {
    case $1 in
    7zip) awk '$1 == "Tot:" && $3 + 0 > 0 { print $3 }' "$2" ;; # R/U: rating per CPU use
    esac
}
# compared_output W OUT: prints the name of the file that must equal native's:
# OUT, but for 7zip (timings and ratings vary) the shape of its result table.
compared_output() {
    case $1 in
    7zip)
        grep -E '^([0-9]+|Avr|Tot):' "$2" | sed -E 's/ +[0-9]+/ #/g' > "$2.shape"
        echo "$2.shape"
        ;;
    *) echo "$2" ;;
    esac
}
# runs_tool W T: whether row W runs tool T at all
runs_tool() {
    [ -z "${ROW_TOOLS[$1]:-}" ] && return 0
    case " ${ROW_TOOLS[$1]} " in *" $2 "*) return 0 ;; esac
    return 1
}

# Sets CMD: how tool T runs PROG through the fetched root. Natively and under
# valgrind the program goes through the root's ld.so; qemu and ue resolve its
# interpreter inside the sysroot.
in_root() {
    local t=$1 prog=$2
    local viald=("$SYSROOT/lib/ld-linux.so.2" --library-path "$LIBPATH" "$prog")
    case $t in
    native) CMD=("${viald[@]}") ;;
    qemu) CMD=(qemu-i386 -L "$SYSROOT" "$prog") ;;
    vgnone) CMD=(valgrind -q --tool=none "${viald[@]}") ;;
    vgmc) CMD=(valgrind -q --tool=memcheck "${viald[@]}") ;;
    ue) CMD=("$UE" --sysroot "$SYSROOT" "$prog") ;;
    uenojit) CMD=("$UE" "${NOJIT_OPT[@]}" --sysroot "$SYSROOT" "$prog") ;;
    uemc) CMD=("$UE" --memcheck -q --sysroot "$SYSROOT" "$prog") ;;
    esac
    CMD+=("${ARGS[@]}")
}

# Sets CMD: how tool T runs workload W.
command_for() {
    local w=$1 t=$2 prog pre=()
    case $w in
    lua | python | sqlite | 7zip | cc1)
        in_root "$t" "$SYSROOT/${DEBIAN_PROG[$w]}"
        return
        ;;
    startup) prog=$BUILD/hello ;;
    *)
        prog=$BUILD/$w
        if [ "$t" = vgmc ] || [ "$t" = uemc ] && [ -x "$BUILD/$w.dyn" ]; then
            prog=$BUILD/$w.dyn
            # the fetched libc carries the debug symbols valgrind needs
            if [ "$HAVE_ROOT" = 1 ]; then
                in_root "$t" "$prog"
                return
            fi
        fi
        ;;
    esac
    case $t in
    native) pre=() ;;
    qemu) pre=(qemu-i386) ;;
    vgnone) pre=(valgrind -q --tool=none) ;;
    vgmc) pre=(valgrind -q --tool=memcheck) ;;
    ue) pre=("$UE") ;;
    uenojit) pre=("$UE" "${NOJIT_OPT[@]}") ;;
    uemc) pre=("$UE" --memcheck -q) ;;
    esac
    CMD=("${pre[@]}" "$prog" "${ARGS[@]}")
}

# --- run -------------------------------------------------------------------
SELECTED=()
for w in "${WORKLOADS[@]}"; do
    if [ -n "${BENCH_ONLY:-}" ]; then
        case " $BENCH_ONLY " in *" $w "*) ;; *) continue ;; esac
    fi
    SELECTED+=("$w")
done
[ ${#SELECTED[@]} -gt 0 ] || { say "no workload selected (BENCH_ONLY=$BENCH_ONLY)"; exit 1; }

RAW=$RES/raw.txt
: > "$RAW"
rm -f "$OUT"/*
declare -A CELL_DONE # a cell that failed once is not run again
# Output of REPS launches must be the first REPS/REPEAT part of the reference.
same_output() { # REF OUT REPEAT REPS
    if [ "$3" = "$4" ]; then
        cmp -s "$1" "$2"
    else
        local lines=$(($(wc -l < "$1") * $4 / $3))
        head -n "$lines" "$1" | cmp -s - "$2"
    fi
}
fmt_s() { awk -v s="$1" 'BEGIN { printf(s < 10 ? "%.2fs" : "%.0fs", s) }'; }

say "$RUNS run(s), timeout ${TIMEOUT}s, quick=$QUICK; ue: $UE"
start_all=$(date +%s)
for ((run = 1; run <= RUNS; run++)); do
    for w in "${SELECTED[@]}"; do
        [ -n "${ROW_NOTE[$w]:-}" ] && continue
        workload_args "$w"
        line="[$run/$RUNS] $w:"
        for t in "${TOOLS[@]}"; do
            [ -n "${TOOL_STATE[$t]:-}" ] && continue
            [ -n "${CELL_DONE[$w.$t]:-}" ] && continue
            runs_tool "$w" "$t" || continue
            command_for "$w" "$t"
            o=$OUT/$w.$t.$run
            minput=()
            [ -n "$INPUT" ] && minput=(-i "$INPUT")
            # valgrind needs ~0.3-0.8 s per launch: it does a tenth of the
            # start-up launches and its time is scaled up to the full count.
            reps=$REPEAT
            case $t in vgnone | vgmc) [ "$REPEAT" -ge 10 ] && reps=$((REPEAT / 10)) ;; esac
            menv=()
            [ "$t" = uenojit ] && menv=("${NOJIT_ENV[@]}")
            read -r status wall rss < <(env "${menv[@]}" "$MEASURE" -t "$TIMEOUT" -n "$reps" \
                "${minput[@]}" -o "$o.out" -e "$o.err" -- "${CMD[@]}")
            : "${status:=fail}" "${wall:=0}" "${rss:=0}"
            [ "$reps" != "$REPEAT" ] && wall=$(awk -v w="$wall" -v k=$((REPEAT / reps)) 'BEGIN { printf("%.4f", w * k) }')
            touch "$o.out"
            score=-
            if [ "$status" = ok ]; then
                ref=$OUT/$w.native.ref
                cmpd=$(compared_output "$w" "$o.out")
                if [ "$t" = native ] && [ ! -f "$ref" ]; then
                    cp "$cmpd" "$ref"
                elif [ -f "$ref" ] && ! same_output "$ref" "$cmpd" "$REPEAT" "$reps"; then
                    status=wrong
                fi
                if [ -n "${RATED[$w]:-}" ]; then
                    score=$(rating "$w" "$o.out")
                    [ -n "$score" ] || { status=wrong score=-; }
                fi
            fi
            [ "$status" = ok ] || CELL_DONE[$w.$t]=1
            echo "$w $t $run $status $wall $rss $score" >> "$RAW"
            if [ "$status" != ok ]; then line+=" $t $status"
            elif [ "$score" != - ]; then line+=" $t $(fmt_s "$wall")/$score"
            else line+=" $t $(fmt_s "$wall")"; fi
        done
        say "$line"
    done
done
elapsed=$(($(date +%s) - start_all))

# --- report ----------------------------------------------------------------
# Per cell: median of the good runs, or the first failure.
CSV=$RES/latest.csv
{
    for w in "${WORKLOADS[@]}"; do
        case " ${SELECTED[*]} " in *" $w "*) ;; *) continue ;; esac
        for t in "${TOOLS[@]}"; do
            if [ -n "${ROW_NOTE[$w]:-}" ]; then
                echo "NOTE $w $t ${ROW_NOTE[$w]// /_}"
            elif [ -n "${TOOL_STATE[$t]:-}" ]; then
                echo "NOTE $w $t ${TOOL_STATE[$t]// /_}"
            elif ! runs_tool "$w" "$t"; then
                echo "NOTE $w $t skipped"
            fi
        done
    done
    cat "$RAW"
} | awk -v csv="$CSV" -v tools="${TOOLS[*]}" -v works="${SELECTED[*]}" \
    -v titles="$(for t in "${TOOLS[@]}"; do printf '%s ' "${TOOL_TITLE[$t]}"; done)" \
    -v rated="${!RATED[*]}" -v dat="$RES/ratios.dat" -f "$B/report.awk"

# --- plot ------------------------------------------------------------------
if command -v gnuplot > /dev/null && [ -s "$RES/ratios.dat" ]; then
    ncols=$(head -1 "$RES/ratios.dat" | awk '{ print NF }')
    if gnuplot -e "datafile='$RES/ratios.dat'; outfile='$RES/ratios.png'; ncols=$ncols" "$B/ratios.gp" \
        > "$BUILD/gnuplot.log" 2>&1; then
        echo "plot: bench/results/ratios.png"
    else
        echo "plot: gnuplot failed (bench/build/gnuplot.log)"
    fi
else
    echo "plot: skipped (no gnuplot or nothing to plot)"
fi
echo "csv: bench/results/latest.csv; runs: $RUNS; quick: $QUICK; wall time of the bench: ${elapsed}s"
