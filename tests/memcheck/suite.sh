#!/bin/bash
# make check-memcheck-suite: the whole differential suite (tests/run.sh)
# under ue --memcheck, for false positives. Every checked process writes its
# own log; a log with errors is allowed only for the programs that touch
# unmapped or forbidden memory, pass bad pointers to system calls or ask for
# absurd sizes on purpose (Valgrind reports those too). run.sh's own verdicts
# are shown but not counted: under --memcheck the environment has LD_PRELOAD
# and the preloaded library moves the first mmap, which a few tests print.
# usage: tests/memcheck/suite.sh [PATTERN...]
set -u
T=$(cd "$(dirname "$0")/.." && pwd)
ROOTDIR=$(dirname "$T")
UE=${UE:-$ROOTDIR/ue}
W=$T/build/memcheck-suite
rm -rf "$W"
mkdir -p "$W/logs"
cat > "$W/ue" <<WRAP
#!/bin/sh
exec "$UE" --memcheck --log-file="$W/logs/%p.log" "\$@"
WRAP
chmod +x "$W/ue"
"$T/run.sh" --ue "$W/ue" "$@" | tail -n 1

# the programs whose errors are real (the test's own doing)
allowed='/(c_malloc|cpu_align|cpu_far16|cpu_wrap|sig_handlers|sig_segv|sig_frame_fault|simd_fp_fault|sys_badptr|sys_efault|sys_errno_order2|sys_fork|sys_ipc|sys_mmap|sys_order_fs_paths|sys_partial|sys_select_fault|dyn_entry_high)$'
n=0 bad=0
for f in "$W"/logs/*.log; do
    [ -e "$f" ] || continue
    n=$((n + 1))
    grep -q 'ERROR SUMMARY: 0 errors from 0 contexts' "$f" && continue
    grep -q 'ERROR SUMMARY' "$f" || continue   # replaced by an exec, or killed before its summary
    prog=$(sed -n 's/^==[0-9]*== Command: \([^ ]*\).*/\1/p' "$f" | head -n 1)
    if [[ "$prog" =~ $allowed ]]; then continue; fi
    bad=$((bad + 1))
    echo "== $prog ($f)"
    head -30 "$f"
done
echo "memcheck suite: $n checked processes, $bad with unexpected errors"
[ "$bad" = 0 ]
