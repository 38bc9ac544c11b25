#!/bin/bash
# meta.sh FILE KEY: the value of KEY from the "ue-test:" line in the first
# lines of a guest source (e.g. "ue-test: variants=all cflags=-nostdlib").
# variants: s0 s2 d0 d2 p0 p2 sp2 (static / dynamic / PIE / static-pie, -O0/-O2);
# "all" means the six main ones.  The default is "s2 d0 p2".
# timeout: seconds for the native run (default 20; ue gets ten times as long).
# signal: the signal number the test must die of natively (default: none,
# and a native death by a signal is then a broken test).
file=$1 key=$2
line=$(head -n 5 "$file" | grep -m1 -o 'ue-test:.*' | sed 's/ *\*\/.*//')
val=""
case "$key" in
variants|timeout|cflags|ldflags|signal)
    val=$(printf '%s\n' "$line" | sed -n "s/.*[: ]$key=\([^;]*\).*/\1/p" | sed 's/ [a-z]*=.*//')
    ;;
esac
if [ "$key" = variants ]; then
    [ -z "$val" ] && val="s2 d0 p2"
    val=${val//all/s0 s2 d0 d2 p0 p2}
fi
printf '%s\n' "$val"
