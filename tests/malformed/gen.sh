#!/bin/bash
# gen.sh DIR: make the malformed program files that ue must reject with one
# "ue: FILE: ..." line and exit status 126 (127 when something is not found),
# and write DIR/list ("name path [runs-natively]" per line).  Each one is checked by the
# harness to be refused by the kernel too (native execve fails).
set -eu
D=$1
rm -rf "$D"
mkdir -p "$D"
cd "$D"

# Write bytes (given as \x escapes) into FILE at OFFSET without truncating.
poke() { printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }
add() { echo "$1 $D/$2" >> list; }

# A small valid i386 program to break, and a dynamic one.
printf 'void _start(void){ asm volatile("mov $1,%%eax; xor %%ebx,%%ebx; int $0x80"); }\n' > good.c
gcc -m32 -static -nostdlib -fno-pie -no-pie -o good good.c
printf 'int main(void){return 0;}\n' > dyn.c
gcc -m32 -fno-pie -no-pie -o dyn dyn.c
: > list

: > empty; chmod 755 empty; add empty empty
printf 'this is not a program\n' > text; chmod 755 text; add text text
head -c 30 good > truncated_header; chmod 755 truncated_header; add truncated_header truncated_header
printf 'int main(void){return 0;}\n' > host.c
# An x86-64 program runs natively, but it is not an i386 program: ue refuses it.
cc -o x86_64 host.c; echo "x86_64 $D/x86_64 runs-natively" >> list
cp good arm; poke arm 18 '\x28\x00'; add arm arm                    # e_machine = EM_ARM
cp good bogus_phoff; poke bogus_phoff 28 '\x00\xf0\xff\xff'; add bogus_phoff bogus_phoff
cp good phnum_huge; poke phnum_huge 44 '\xff\xff'; add phnum_huge phnum_huge
cp good phentsize; poke phentsize 42 '\x10\x00'; add phentsize phentsize
gcc -m32 -c -o object.o good.c; chmod 755 object.o; add et_rel object.o
# Program headers cut off by the end of the file.
head -c 60 good > truncated_phdrs; chmod 755 truncated_phdrs; add truncated_phdrs truncated_phdrs
mkdir directory; add directory directory
add missing does-not-exist
cp good noexec; chmod 644 noexec; add noexec noexec
# PT_INTERP naming a file that does not exist.
off=$(grep -obUa '/lib/ld-linux.so.2' dyn | head -n 1 | cut -d: -f1)
cp dyn missing_interp; poke missing_interp "$off" '/nonexist/ld.so.2\x00'; add missing_interp missing_interp
printf '#!/nonexistent/interpreter\necho hi\n' > shebang_missing; chmod 755 shebang_missing
add shebang_missing shebang_missing
rm -f good.c dyn.c host.c
