#!/bin/bash
# Differential tests: every guest program in tests/guest/ is built for i386 in
# several variants, run natively and under ue with the same arguments, stdin
# and environment, and the two runs' stdout, stderr, exit status (or signal)
# and the files left in the work dir are compared.  The native run must end as
# the test says (no timeout; a signal only when the source says signal=N).  Malformed inputs in tests/malformed/ must make ue print one
# "ue: " line and exit 126/127.  Ends with the line "N passed, N failed".
#
# usage: tests/run.sh [options] [PATTERN...]
#   PATTERN          run only tests whose id contains PATTERN (e.g. alu_, .s2)
#   --ue PATH        the emulator to test (default: ./ue, or $UE)
#   --native-twice   check the tests themselves: run natively twice, compare
#   -j N             parallel jobs (default 2)
#   --list           print the test ids and exit
#   -v               print the diff of each failure in full
set -u
T=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$T")
B=$T/build
UE=${UE:-$ROOT/ue}
MODE=ue
JOBS=2
LIST=0
VERBOSE=0
PATTERNS=()
while [ $# -gt 0 ]; do
    case "$1" in
    --ue) UE=$2; shift ;;
    --native-twice) MODE=native-twice ;;
    -j) JOBS=$2; shift ;;
    -j*) JOBS=${1#-j} ;;
    --list) LIST=1 ;;
    -v) VERBOSE=1 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) PATTERNS+=("$1") ;;
    esac
    shift
done
case "$UE" in /*) ;; *) UE=$(cd "$(dirname "$UE")" && pwd)/$(basename "$UE") ;; esac
if [ "$MODE" = ue ] && [ "$LIST" = 0 ] && [ ! -x "$UE" ]; then
    echo "run.sh: $UE not found (build it with make, or pass --ue PATH)" >&2
    exit 2
fi
export T B UE MODE

mkdir -p "$B/bin" "$B/results" "$B/work"
[ "$LIST" = 1 ] || rm -f "$B/results"/*   # --list must not wreck a run in the same tree

# The host-side runner that runs one command and reports how it ended.
if [ ! -x "$B/runner" ] || [ "$T/harness/runner.c" -nt "$B/runner" ]; then
    gcc -O2 -o "$B/runner" "$T/harness/runner.c" || { echo "run.sh: cannot build the runner" >&2; exit 2; }
fi

matches() {
    [ ${#PATTERNS[@]} -eq 0 ] && return 0
    local p
    for p in "${PATTERNS[@]}"; do
        case "$1" in *"$p"*) return 0 ;; esac
    done
    return 1
}

# Test ids: prog:NAME:VARIANT, script:NAME, malformed:NAME.
ids=()
builds=()
for src in "$T"/guest/*.c "$T"/guest/*.S; do
    [ -e "$src" ] || continue
    file=${src##*/}
    name=${file%.*}
    variants=$("$T/harness/meta.sh" "$src" variants)
    for v in $variants; do
        id="prog:$name:$v"
        matches "$name.$v" || continue
        ids+=("$id")
        builds+=("$file $v")
    done
done
for src in "$T"/guest/*.sh.in; do
    [ -e "$src" ] || continue
    name=${src##*/}; name=${name%.sh.in}
    matches "$name.script" || continue
    ids+=("script:$name")
    # the scripts' interpreter
    case " ${builds[*]} " in *" args_env.c s2 "*) ;; *) builds+=("args_env.c s2") ;; esac
done
"$T/malformed/gen.sh" "$B/malformed" >/dev/null || { echo "run.sh: tests/malformed/gen.sh failed" >&2; exit 2; }
while read -r name _; do
    matches "malformed.$name" || continue
    ids+=("malformed:$name")
done < "$B/malformed/list"

if [ "$LIST" = 1 ]; then
    printf '%s\n' "${ids[@]}"
    exit 0
fi

# Build (only what is out of date), in parallel.
if [ ${#builds[@]} -gt 0 ]; then
    printf '%s\n' "${builds[@]}" | xargs -P "$JOBS" -L 1 "$T/harness/build.sh"
fi
# Scripts whose interpreter is one of the built programs.
for src in "$T"/guest/*.sh.in; do
    [ -e "$src" ] || continue
    name=${src##*/}; name=${name%.sh.in}
    mkdir -p "$B/bin/script"
    sed "s|@BIN@|$B/bin|g" "$src" > "$B/bin/script/$name"
    chmod 755 "$B/bin/script/$name"
done

printf '%s\n' "${ids[@]}" | xargs -P "$JOBS" -L 1 "$T/harness/one.sh"

pass=0
fail=0
x87=" $(grep -v '^#' "$T/expect-x87.txt" 2>/dev/null | tr '\n' ' ') "
for id in "${ids[@]}"; do
    r="$B/results/$(echo "$id" | tr ':' '.').result"
    if [ -f "$r" ] && [ "$(head -c 4 "$r")" = PASS ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        name=$(echo "$id" | cut -d: -f2)
        note=""
        case "$x87" in *" $name "*) note=" [x87]" ;; esac
        if [ -f "$r" ]; then
            echo "$(head -n 1 "$r")$note"
            [ "$VERBOSE" = 1 ] && tail -n +2 "$r"
        else
            echo "FAIL $id: no result$note"
        fi
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
