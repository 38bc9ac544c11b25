#!/bin/bash
# fetch-root.sh ROOT: fetch the Debian i386 packages of the real-program
# workloads (lua5.4, python3.11, sqlite3, 7zip's 7zz, gcc's cc1 from cpp-12)
# with their library dependencies and unpack them into ROOT with dpkg -x;
# nothing is installed on the system.
# Also unpacks libc6-dbg:i386 (valgrind's memcheck needs ld.so's symbols) and
# builds ROOT/etc/ld.so.cache so every tool resolves libraries inside ROOT.
# Prints one line per program that could not be had; exits 0 either way.
set -u
ROOT=$1
DEBS=$(dirname "$ROOT")/debs
WANT="lua5.4:i386 sqlite3:i386 python3.11-minimal:i386 libpython3.11-stdlib:i386 libc6-dbg:i386
7zip:i386 cpp-12:i386"
PROGS="usr/bin/lua5.4 usr/bin/python3.11 usr/bin/sqlite3 usr/bin/7zz usr/lib/gcc/i686-linux-gnu/12/cc1"

# ROOT/.complete names the packages ROOT was made from: a root made for
# fewer packages is made anew.
[ -f "$ROOT/.complete" ] && [ "$(cat "$ROOT/.complete")" = "$WANT" ] && exit 0
if ! command -v apt-get > /dev/null; then
    echo "fetch-root: no apt-get: Debian i386 packages cannot be fetched" >&2
    exit 0
fi
if ! dpkg --print-foreign-architectures | grep -qx i386; then
    dpkg --add-architecture i386 || echo "fetch-root: cannot add the i386 architecture" >&2
fi
# A partly failed update (a mirror in sync) still leaves usable lists.
if ! apt-cache show libc6:i386 > /dev/null 2>&1; then
    apt-get update -q > "$DEBS.update.log" 2>&1 || echo "fetch-root: apt-get update reported errors (see $DEBS.update.log)" >&2
fi

# Library closure of the wanted packages, limited to i386 packages that carry
# files a program needs at run time.
# shellcheck disable=SC2086
pkgs=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
        --no-breaks --no-replaces --no-enhances $WANT 2>/dev/null |
    grep -v '^[ <]' | grep ':i386$' |
    grep -v -E '^(dpkg|tar|install-info|perl|perl-base|mime-support|mailcap|media-types|readline-common|libtirpc-common|gcc-12-base|debconf):' |
    sort -u)
if [ -z "$pkgs" ]; then
    echo "fetch-root: apt knows no i386 packages (no network or no i386 lists)" >&2
    exit 0
fi
mkdir -p "$DEBS"
chmod 755 "$DEBS"
rm -f "$DEBS"/*.deb
(
    cd "$DEBS" || exit 1
    # shellcheck disable=SC2086
    if ! apt-get download -q $pkgs > ../debs.log 2>&1; then
        # One missing package must not cost the others.
        for p in $pkgs; do
            apt-get download -q "$p" >> ../debs.log 2>&1 || echo "fetch-root: cannot download $p" >&2
        done
    fi
)
rm -rf "$ROOT"
mkdir -p "$ROOT"
for d in "$DEBS"/*.deb; do
    [ -f "$d" ] && dpkg -x "$d" "$ROOT"
done

# valgrind finds detached debug info through .gnu_debuglink in OBJDIR/.debug/.
for lib in "$ROOT"/lib/i386-linux-gnu/*.so*; do
    [ -L "$lib" ] && continue
    id=$(readelf -n "$lib" 2>/dev/null | awk '/Build ID/ {print $3}')
    dbg=$ROOT/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug
    if [ -n "$id" ] && [ -f "$dbg" ]; then
        mkdir -p "$ROOT/lib/i386-linux-gnu/.debug"
        ln -sf "$dbg" "$ROOT/lib/i386-linux-gnu/.debug/${id:2}.debug"
    fi
done

# Without a cache inside ROOT, qemu -L (and a sysroot) would fall back to the
# host's cache, which names the host's /lib32 libraries.
mkdir -p "$ROOT/etc"
echo 'include /etc/ld.so.conf.d/*.conf' > "$ROOT/etc/ld.so.conf"
ldconfig -r "$ROOT" 2> /dev/null || echo "fetch-root: ldconfig -r failed: tools may mix in host libraries" >&2

for prog in $PROGS lib/ld-linux.so.2; do
    [ -e "$ROOT/$prog" ] || echo "fetch-root: $prog missing after unpacking" >&2
done
[ -e "$ROOT/lib/ld-linux.so.2" ] && echo "$WANT" > "$ROOT/.complete"
exit 0
