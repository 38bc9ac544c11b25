#!/bin/bash
# build.sh FILE VARIANT: compile tests/guest/FILE for i386 into
# tests/build/bin/VARIANT/NAME when out of date.  A failure leaves
# tests/build/results/NAME.VARIANT.buildlog for the test to report.
set -u
file=$1 v=$2
src=$T/guest/$file
name=${file%.*}
out=$B/bin/$v/$name
log=$B/results/prog.$name.$v.buildlog
mkdir -p "$B/bin/$v"
newest=$src
for dep in "$T"/guest/include/*.h "$T/harness/build.sh"; do
    [ "$dep" -nt "$newest" ] && newest=$dep
done
[ -x "$out" ] && [ "$out" -nt "$newest" ] && exit 0
case "$v" in
s0) f="-static -fno-pie -no-pie -O0" ;;
s2) f="-static -fno-pie -no-pie -O2" ;;
d0) f="-fno-pie -no-pie -O0" ;;
d2) f="-fno-pie -no-pie -O2" ;;
p0) f="-fPIE -pie -O0" ;;
p2) f="-fPIE -pie -O2" ;;
sp2) f="-static-pie -fPIE -O2" ;;
*) echo "unknown variant $v" > "$log"; exit 0 ;;
esac
cflags=$("$T/harness/meta.sh" "$src" cflags)
ldflags=$("$T/harness/meta.sh" "$src" ldflags)
# shellcheck disable=SC2086
if ! gcc -m32 -g -Wall -Wno-unused -I"$T/guest/include" -DUE_VARIANT="\"$v\"" $f $cflags -o "$out.tmp" "$src" $ldflags > "$log" 2>&1; then
    rm -f "$out.tmp"
    exit 0
fi
mv "$out.tmp" "$out"
rm -f "$log"
