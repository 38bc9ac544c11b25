#!/bin/bash
# Clean programs under ue --memcheck: a suite runs with ue wrapped in
# --memcheck --log-file (every checked process, each fork and exec, writes
# its own log), then every log must end with "ERROR SUMMARY: 0 errors".
#   real    make check-real's second half: the real programs of tests/real.
#           Their output must still be the native one (tests/real/run.sh
#           compares), and every log must have its summary.
#   suite   make check-memcheck-suite: the whole differential suite
#           (tests/run.sh). A log with errors is allowed only for the
#           programs that touch unmapped or forbidden memory, pass bad
#           pointers to system calls or ask for absurd sizes on purpose
#           (Valgrind reports those too). run.sh's own verdicts are shown but
#           not counted: under --memcheck the environment has LD_PRELOAD and
#           the preloaded library moves the first mmap, which a few tests
#           print. A log without a summary (its image replaced by an exec, or
#           killed) is skipped.
# usage: tests/memcheck/clean.sh real|suite [--ue PATH] [PATTERN...]
set -u
T=$(cd "$(dirname "$0")/.." && pwd)
ROOTDIR=$(dirname "$T")
mode=${1:-}
case $mode in
real | suite) shift ;;
*) sed -n '17p' "$0" | sed 's/^# //' >&2; exit 2 ;;
esac
UE=${UE:-$ROOTDIR/ue}
if [ "${1:-}" = --ue ]; then UE=$2; shift 2; fi
case "$UE" in /*) ;; *) UE=$(cd "$(dirname "$UE")" && pwd)/$(basename "$UE") ;; esac
W=$T/build/memcheck-$mode
rm -rf "$W"
mkdir -p "$W/logs"
cat > "$W/ue" <<WRAP
#!/bin/sh
exec "$UE" --memcheck --log-file="$W/logs/%p.log" "\$@"
WRAP
chmod +x "$W/ue"

# the suite's programs whose errors are real (the test's own doing)
allowed='^$'
case $mode in
real)
    "$T/real/run.sh" --ue "$W/ue" "$@"
    rc=$?
    [ "$rc" = 0 ] || exit "$rc"
    ;;
suite)
    "$T/run.sh" --ue "$W/ue" "$@" | tail -n 1
    allowed='/(c_malloc|cpu_align|cpu_far16|cpu_wrap|sig_handlers|sig_segv|sig_frame_fault|simd_fp_fault|sys_badptr|sys_efault|sys_errno_order2|sys_fork|sys_ipc|sys_mmap|sys_order_fs_paths|sys_partial|sys_select_fault|dyn_entry_high'
    # bad pointers on purpose (EFAULT), faults on purpose (caught), core dumps of crashes
    allowed+='|bits_bmi|ioctl_[a-z]+|jit_exact|mm_madvise|mm_mmap_flag_order|sig_core|sys_admin_misc|sys_errno_order3'
    allowed+='|sys_keys|sys_mount|sys_process_vm|sys_sockopt_timeo_order|sys_stat64_straddle)$'
    ;;
esac

n=0 bad=0
for f in "$W"/logs/*.log; do
    [ -e "$f" ] || continue
    n=$((n + 1))
    grep -q 'ERROR SUMMARY: 0 errors from 0 contexts' "$f" && continue
    if [ "$mode" = suite ]; then
        grep -q 'ERROR SUMMARY' "$f" || continue
        prog=$(sed -n 's/^==[0-9]*== Command: \([^ ]*\).*/\1/p' "$f" | head -n 1)
        [[ "$prog" =~ $allowed ]] && continue
    fi
    bad=$((bad + 1))
    echo "== $f"
    head -40 "$f"
done
if [ "$n" = 0 ]; then
    echo "memcheck/clean.sh: no memcheck logs were written" >&2
    exit 1
fi
echo "memcheck $mode: $n checked processes, $bad with unexpected errors"
[ "$bad" = 0 ]
