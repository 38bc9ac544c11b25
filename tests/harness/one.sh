#!/bin/bash
# one.sh ID: run one test (see run.sh) and write tests/build/results/ID.result,
# whose first line is "PASS ID" or "FAIL ID: reason, short diff".
set -u
id=$1
kind=${id%%:*}
rest=${id#*:}
R=$B/results
base=$R/$(echo "$id" | tr ':' '.')
result=$base.result
ENVV=(PATH=/usr/bin:/bin HOME=/ LC_ALL=C TZ=UTC UE_TEST_VAR=hello-from-env)

fail() { printf 'FAIL %s: %s\n' "$id" "$1" > "$result"; [ $# -gt 1 ] && printf '%s\n' "$2" >> "$result"; exit 0; }

# run LABEL TIMEOUT CMD...: run in a fresh work dir (same path for both runs,
# so getcwd and relative paths agree); outputs go to $base.LABEL.{out,err,status}.
run() {
    local label=$1 to=$2
    shift 2
    local w=$B/work/${id//:/.}
    rm -rf "$w"
    mkdir -p "$w"
    (cd "$w" && env -i "${ENVV[@]}" "$B/runner" -t "$to" -i "$stdin" -o "$base.$label.out" \
        -e "$base.$label.err" -- "$@" > "$base.$label.status")
    rm -rf "$w"
}

# One line saying what differs first, and the start of the diff.
compare() {
    local a=$1 b=$2 ext what d
    for ext in status out err; do
        if ! cmp -s "$base.$a.$ext" "$base.$b.$ext"; then
            d=$(diff "$base.$a.$ext" "$base.$b.$ext" | grep '^[<>]' | head -n 4 | cut -c1-100 | tr '\n' '|')
            case $ext in out) what=stdout ;; err) what=stderr ;; *) what=status ;; esac
            fail "$what differs: ${d%|}" "$(diff "$base.$a.$ext" "$base.$b.$ext" 2>/dev/null | head -n 40)"
        fi
    done
}

second=ue
[ "$MODE" = native-twice ] && second=native2

case "$kind" in
prog|script)
    if [ "$kind" = prog ]; then
        name=${rest%%:*}
        v=${rest#*:}
        bin=$B/bin/$v/$name
        [ -f "$R/prog.$name.$v.buildlog" ] && fail "build failed: $(head -c 200 "$R/prog.$name.$v.buildlog" | tr '\n' ' ')"
        src=$(ls "$T/guest/$name".[cS] 2>/dev/null | head -n 1)
        to=$("$T/harness/meta.sh" "$src" timeout)
    else
        name=$rest
        bin=$B/bin/script/$name
        to=""
    fi
    [ -x "$bin" ] || fail "not built: $bin"
    to=${to:-20}
    args=()
    [ -f "$T/guest/$name.args" ] && mapfile -t args < "$T/guest/$name.args"
    stdin=/dev/null
    [ -f "$T/guest/$name.stdin" ] && stdin=$T/guest/$name.stdin
    run native "$to" "$bin" "${args[@]}"
    grep -q '^execfail' "$base.native.status" && fail "native run could not start: $(cat "$base.native.status")"
    if [ "$second" = ue ]; then
        run ue "$((to * 10))" "$UE" "$bin" "${args[@]}"
    else
        run native2 "$to" "$bin" "${args[@]}"
    fi
    compare native "$second"
    ;;
malformed)
    name=$rest
    file=$(awk -v n="$name" '$1 == n { print $2 }' "$B/malformed/list")
    stdin=/dev/null
    run native 10 "$file"
    nst=$(cat "$base.native.status")
    native_ok=$(awk -v n="$name" '$1 == n { print $3 }' "$B/malformed/list")
    case "$nst" in
    execfail*) ;;
    *) [ "$native_ok" = runs-natively ] || fail "native exec of $file did not fail: $nst" ;;
    esac
    [ "$second" = ue ] || { echo "PASS $id" > "$result"; exit 0; }
    run ue 10 "$UE" "$file"
    st=$(cat "$base.ue.status")
    want="exit 126"
    [ "$nst" = "execfail ENOENT" ] && want="exit 127"
    case "$st" in
    "exit 126"|"exit 127") ;;
    *) fail "ue should exit 126/127 (want $want), got '$st'; stderr: $(head -c 150 "$base.ue.err" | tr '\n' ' ')" ;;
    esac
    # A missing interpreter may be reported as either.
    [ "$st" = "$want" ] || [ "$name" = missing_interp ] || fail "ue got '$st', want '$want'"
    lines=$(wc -l < "$base.ue.err")
    first=$(head -n 1 "$base.ue.err")
    [ "$lines" = 1 ] || fail "ue should print exactly one line on stderr, printed $lines: $(head -c 150 "$base.ue.err" | tr '\n' '|')"
    case "$first" in "ue: "*) ;; *) fail "stderr line does not start with 'ue: ': $first" ;; esac
    case "$first" in *"$file"*) ;; *) fail "stderr line does not name $file: $first" ;; esac
    [ -s "$base.ue.out" ] && fail "ue printed on stdout"
    ;;
*) fail "unknown test kind" ;;
esac
echo "PASS $id" > "$result"
