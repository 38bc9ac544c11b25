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
# so getcwd and relative paths agree); outputs go to $base.LABEL.{out,err,status},
# and what the run left in its work dir to $base.LABEL.files.
run() {
    local label=$1 to=$2
    shift 2
    local w=$B/work/${id//:/.}
    clean_dir "$w"
    mkdir -p "$w"
    (cd "$w" && env -i "${ENVV[@]}" "$B/runner" -t "$to" -i "$stdin" -o "$base.$label.out" \
        -e "$base.$label.err" -- "$@" > "$base.$label.status")
    snapshot "$w" > "$base.$label.files"
    clean_dir "$w"
}

# A test may leave read-only files and directories behind.
clean_dir() {
    [ -e "$1" ] || return 0
    chmod -R u+rwx "$1" 2>/dev/null
    rm -rf "$1"
}

# Every entry of the work dir: type, mode, name, link target, and the contents'
# checksum for regular files (times and inode numbers differ between runs).
snapshot() {
    (cd "$1" && find . -mindepth 1 -printf '%y %m %P\t%l\n' 2>&1 | sort &&
        find . -type f -readable -print0 | sort -z | xargs -0 -r md5sum 2>&1)
}

# One line saying what differs first, and the start of the diff.
compare() {
    local a=$1 b=$2 ext what d
    for ext in status out err files; do
        if ! cmp -s "$base.$a.$ext" "$base.$b.$ext"; then
            d=$(diff "$base.$a.$ext" "$base.$b.$ext" | grep '^[<>]' | head -n 4 | cut -c1-100 | tr '\n' '|')
            case $ext in out) what=stdout ;; err) what=stderr ;; files) what="files left in the work dir" ;; *) what=status ;; esac
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
        sig=$("$T/harness/meta.sh" "$src" signal)
    else
        name=$rest
        bin=$B/bin/script/$name
        to=""
        sig=""
    fi
    [ -x "$bin" ] || fail "not built: $bin"
    to=${to:-20}
    args=()
    [ -f "$T/guest/$name.args" ] && mapfile -t args < "$T/guest/$name.args"
    stdin=/dev/null
    [ -f "$T/guest/$name.stdin" ] && stdin=$T/guest/$name.stdin
    run native "$to" "$bin" "${args[@]}"
    # The native run is the oracle: one that did not end as the test says it
    # must proves nothing about ue (both timing out would otherwise "match").
    nst=$(cat "$base.native.status")
    case "$nst" in
    execfail*) fail "native run could not start: $nst" ;;
    timeout) fail "native run timed out after ${to}s (the test is broken or needs timeout=)" ;;
    "signal $sig") ;;
    signal*) fail "native run died of $nst, but the test does not expect it (signal=N)" ;;
    *) [ -n "$sig" ] && fail "native run ended with '$nst', the test expects signal $sig" ;;
    esac
    if [ "$second" = ue ]; then
        run ue "$((to * 10))" "$UE" "$bin" "${args[@]}"
    else
        run native2 "$to" "$bin" "${args[@]}"
    fi
    compare native "$second"
    ;;
malformed)
    # The kernel's verdict is checked first (gen.sh says what it must be),
    # then ue must give the same one.
    name=$rest
    file=$(awk -v n="$name" '$1 == n { print $2 }' "$B/malformed/list")
    verdict=$(awk -v n="$name" '$1 == n { print $3 }' "$B/malformed/list")
    stdin=/dev/null
    run native 10 "$file"
    nst=$(cat "$base.native.status")
    case "$verdict:$nst" in
    refused:execfail*|ran:exit*|ran:signal*|x86_64:exit*|killed:"signal 11") ;;
    *) fail "the kernel should have $verdict $file, native run: $nst" ;;
    esac
    [ "$second" = ue ] || { echo "PASS $id" > "$result"; exit 0; }
    run ue 10 "$UE" "$file"
    st=$(cat "$base.ue.status")
    lines=$(wc -l < "$base.ue.err")
    first=$(head -n 1 "$base.ue.err")
    # ue's own word: exactly one "ue: " line naming the file, nothing on stdout
    one_line() {
        [ "$lines" = 1 ] || fail "ue should print exactly one line on stderr, printed $lines: $(head -c 150 "$base.ue.err" | tr '\n' '|')"
        case "$first" in "ue: "*) ;; *) fail "stderr line does not start with 'ue: ': $first" ;; esac
        case "$first" in *"$file"*) ;; *) fail "stderr line does not name $file: $first" ;; esac
        [ -s "$base.ue.out" ] && fail "ue printed on stdout"
    }
    case "$verdict" in
    refused|x86_64)
        want="exit 126"
        [ "$nst" = "execfail ENOENT" ] && want="exit 127"
        case "$st" in
        "exit 126"|"exit 127") ;;
        *) fail "ue should exit 126/127 (want $want), got '$st'; stderr: $(head -c 150 "$base.ue.err" | tr '\n' ' ')" ;;
        esac
        # A missing interpreter may be reported as either.
        [ "$st" = "$want" ] || [ "$name" = missing_interp ] || fail "ue got '$st', want '$want'"
        one_line
        ;;
    killed)
        [ "$st" = "$nst" ] || fail "ue should die of the kernel's SIGSEGV, got '$st'; stderr: $(head -c 150 "$base.ue.err" | tr '\n' ' ')"
        one_line
        ;;
    ran)
        compare native ue
        ;;
    esac
    ;;
*) fail "unknown test kind" ;;
esac
echo "PASS $id" > "$result"
