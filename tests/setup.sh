#!/bin/bash
# Installs what the tests need on a Debian 12 machine (run as root), and only
# what is missing: a quick no-op when everything is there.
#   tests/setup.sh --build  for building ue: gcc, make, libdw-dev, libelf-dev
#   tests/setup.sh          for make check: the same, gcc with i386 multilib, strace
#   tests/setup.sh --demo   for make demo: the same (the example is built with gcc -m32)
#   tests/setup.sh --real   for make check-real: also the i386 architecture in
#                           dpkg/apt (for apt-get download pkg:i386)
set -eu
mode=check
case "${1:-}" in
"") ;;
--demo) mode=demo ;;
--real) mode=real ;;
--build) mode=build ;;
-h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
*) echo "setup.sh: unknown option $1" >&2; exit 2 ;;
esac

need=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
# Building ue: a compiler and elfutils' headers and libraries (src/debug).
build_ok() {
    command -v make >/dev/null && printf '#include <elfutils/libdw.h>\n#include <gelf.h>\n' |
        gcc -E -x c - >/dev/null 2>&1 && printf '#include <stdlib.h>\n' | gcc -m32 -E -x c - >/dev/null 2>&1
}
if [ "$mode" = build ] && build_ok; then exit 0; fi
for p in gcc make libdw-dev libelf-dev gcc-multilib libc6-dev-i386; do
    have "$p" || need+=("$p")
done
if [ "$mode" != build ]; then
    for p in strace gdb python3 valgrind g++-multilib libtest-valgrind-perl; do
        have "$p" || need+=("$p")
    done
fi
if [ "$mode" = real ]; then
    for p in ca-certificates; do
        have "$p" || need+=("$p")
    done
fi

# A working gcc -m32 is the real test of the toolchain.
m32_works() {
    local d
    d=$(mktemp -d)
    printf 'int main(void){return 0;}\n' > "$d/t.c"
    gcc -m32 -static -o "$d/t" "$d/t.c" >/dev/null 2>&1 && gcc -m32 -o "$d/t" "$d/t.c" >/dev/null 2>&1
    local r=$?
    rm -rf "$d"
    return $r
}

sudo_if_needed() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

updated=0
apt_update() {
    [ "$updated" = 1 ] && return 0
    echo "setup.sh: apt-get update" >&2
    sudo_if_needed apt-get update -qq
    updated=1
}

if [ ${#need[@]} -gt 0 ]; then
    if ! command -v apt-get >/dev/null; then
        echo "setup.sh: missing ${need[*]} and no apt-get: install them by hand" >&2
        exit 1
    fi
    echo "setup.sh: installing ${need[*]}" >&2
    apt_update
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
if [ "$mode" = build ]; then
    build_ok || { echo "setup.sh: elfutils' libdw/libelf headers still missing" >&2; exit 1; }
    exit 0
fi
if ! m32_works; then
    echo "setup.sh: gcc -m32 does not work even with gcc-multilib installed" >&2
    exit 1
fi

if [ "$mode" = real ]; then
    # apt-get download pkg:i386 needs the i386 package lists.
    if ! dpkg --print-foreign-architectures | grep -qx i386; then
        echo "setup.sh: adding the i386 architecture" >&2
        sudo_if_needed dpkg --add-architecture i386
        updated=0
    fi
    if ! apt-cache show busybox-static:i386 >/dev/null 2>&1 || ! apt-cache show coreutils:i386 >/dev/null 2>&1; then
        apt_update
    fi
fi
exit 0
