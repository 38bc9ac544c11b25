#!/bin/bash
# run.sh BIN...: run the unit-test programs, print each one's result line and
# the total "unit: N passed, N failed"; fails when any check (or program) fails.
pass=0 fail=0 bad=0
for b in "$@"; do
    out=$("$b" 2>&1)
    rc=$?
    printf '%s\n' "$out" | grep -v '^unit '
    line=$(printf '%s\n' "$out" | grep '^unit ' | tail -n 1)
    if [[ "$line" =~ :\ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
        pass=$((pass + BASH_REMATCH[1]))
        fail=$((fail + BASH_REMATCH[2]))
        echo "$line"
    fi
    # a crash, or an exit status without a result line, counts too
    if [ "$rc" -ne 0 ] && [ -z "$line" -o "$rc" -gt 1 ]; then
        echo "unit: $b ended with status $rc"
        bad=$((bad + 1))
    fi
done
echo "unit: $pass passed, $fail failed${bad:+}$( [ "$bad" -gt 0 ] && echo ", $bad programs broken")"
[ "$fail" -eq 0 ] && [ "$bad" -eq 0 ]
