#!/bin/bash
# selftest.sh: the harness must fail broken runs.  Runs one.sh on the small
# programs in tests/harness/selftest/ with stand-in emulators (shell scripts
# that run the program natively, or natively and then change what it did) and
# checks each verdict.  Ends with "selftest: N passed, N failed".
set -u
H=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap 'chmod -R u+rwx "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
export T=$TMP/t B=$TMP/t/build MODE=ue
mkdir -p "$T/guest/include" "$B/bin" "$B/results" "$B/work" "$TMP/ue"
ln -s "$H" "$T/harness"
cp "$H"/selftest/*.c "$T/guest/"
gcc -O2 -o "$B/runner" "$H/runner.c" || exit 2
for f in "$T"/guest/*.c; do "$H/build.sh" "${f##*/}" s2; done

# Stand-in emulators: each is run as "UE PROGRAM ARGS...".
printf '#!/bin/sh\nexec "$@"\n' > "$TMP/ue/same"
printf '#!/bin/sh\n"$@"\ns=$?\necho changed >> out.txt\nexit $s\n' > "$TMP/ue/edits_file"
printf '#!/bin/sh\n"$@"\ns=$?\n: > extra\nexit $s\n' > "$TMP/ue/extra_file"
printf '#!/bin/sh\n"$@"\nexit 0\n' > "$TMP/ue/exit0"
printf '#!/bin/sh\n"$@"\necho noise >&2\nexit 3\n' > "$TMP/ue/stderr"
chmod 755 "$TMP"/ue/*

pass=0 fail=0
# expect UE TEST VERDICT [TEXT]: VERDICT is PASS or FAIL; TEXT must be in the reason.
expect() {
    local ue=$1 t=$2 want=$3 text=${4:-}
    UE=$TMP/ue/$ue "$H/one.sh" "prog:$t:s2"
    local got
    got=$(head -n 1 "$B/results/prog.$t.s2.result" 2>/dev/null)
    if [ "${got%% *}" = "$want" ] && { [ -z "$text" ] || [[ "$got" == *"$text"* ]]; }; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "selftest: $t under '$ue' should be $want${text:+ ($text)}, got: $got"
    fi
}
expect same st_pass PASS
expect same st_signal PASS
expect edits_file st_pass FAIL "files left in the work dir"
expect extra_file st_pass FAIL "files left in the work dir"
expect exit0 st_pass FAIL "status differs"
expect stderr st_pass FAIL "stderr differs"
expect same st_hang FAIL "native run timed out"
expect same st_crash FAIL "does not expect it"
expect same st_nosignal FAIL "expects signal 11"
echo "selftest: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
