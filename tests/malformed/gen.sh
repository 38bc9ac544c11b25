#!/bin/bash
# gen.sh DIR: make malformed and hand-made program files, and write DIR/list
# ("name path verdict" per line).  The verdict is what the kernel does with
# the file, which the harness checks natively first:
#   refused   execve fails: ue must exit 126 (127 when something is not found)
#             with one "ue: FILE: ..." line
#   ran       it runs: ue must give the same stdout, stderr and exit status
#             (or signal)
#   killed    execve passed its point of no return and then failed, so the
#             kernel killed the process with SIGSEGV: ue must die the same
#             way, saying why in one "ue: " line
#   x86_64    it runs natively but is not an i386 program: ue refuses it
set -eu
D=$1
SRC=$(cd "$(dirname "$0")" && pwd)
rm -rf "$D"
mkdir -p "$D"
cd "$D"

# Write bytes (given as \x escapes) into FILE at OFFSET without truncating.
poke() { printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }
add() { echo "$1 $D/$2 ${3:-refused}" >> list; }

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
cc -o x86_64 host.c; add x86_64 x86_64 x86_64
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

# Header bytes the kernel does not look at (only the magic, e_type, e_machine
# EM_386/EM_486, e_phentsize and the table's size): the program runs.
cp good ident_class64; poke ident_class64 4 '\x02'; add ident_class64 ident_class64 ran     # EI_CLASS = ELFCLASS64
cp good ident_bigendian; poke ident_bigendian 5 '\x02'; add ident_bigendian ident_bigendian ran
cp good ident_version; poke ident_version 6 '\x00'; add ident_version ident_version ran
cp good ident_osabi; poke ident_osabi 7 '\x61\x07'; add ident_osabi ident_osabi ran       # ARM ABI, version 7
cp good ident_pad; poke ident_pad 9 '\xde\xad\xbe\xef\x01\x02\x03'; add ident_pad ident_pad ran
cp good e_version; poke e_version 20 '\x00\x00\x00\x00'; add e_version e_version ran
cp good em_486; poke em_486 18 '\x06\x00'; add em_486 em_486 ran                         # EM_486 is accepted
cp good shdrs_garbage; poke shdrs_garbage 32 '\xff\xff\xff\x7f'; poke shdrs_garbage 46 '\x11\x22\x33\x44\x55\x66'
add shdrs_garbage shdrs_garbage ran
cp good et_core; poke et_core 16 '\x04\x00'; add et_core et_core
cp good phnum_zero; poke phnum_zero 44 '\x00\x00'; add phnum_zero phnum_zero

# Hand-made: a read-only segment keeps the file's bytes after p_filesz in its
# last page, a writable one has them zeroed (tests/malformed/mkelf.c).
gcc -O2 -o mkelf "$SRC/mkelf.c"
./mkelf padzero; chmod 755 padzero; add padzero padzero ran
# Its second segment (program header at 84: offset 88, vaddr 92, filesz 100,
# memsz 104, flags 108) broken in ways the kernel finds only while mapping.
cp padzero filesz_gt_memsz; poke filesz_gt_memsz 104 '\x08\x00\x00\x00'; add filesz_gt_memsz filesz_gt_memsz killed
cp padzero offset_misaligned; poke offset_misaligned 88 '\x04\x10\x00\x00'; add offset_misaligned offset_misaligned killed
cp padzero segment_high; poke segment_high 92 '\x00\xf0\xff\xff'; add segment_high segment_high killed
cp padzero entry_high; poke entry_high 24 '\x00\xf0\xff\xff'; add entry_high entry_high killed
cp padzero no_load; poke no_load 52 '\x00'; poke no_load 84 '\x00'; add no_load no_load killed
# In a dynamic program only the interpreter's entry must be valid: ld.so
# jumps to the bad AT_ENTRY and the program dies of that itself.
cp dyn dyn_entry_high; poke dyn_entry_high 24 '\x00\xe0\xff\xff'; add dyn_entry_high dyn_entry_high ran
# The file ends before the writable segment: zeroing its bss tail faults.
head -c 512 padzero > bss_past_eof; chmod 755 bss_past_eof; add bss_past_eof bss_past_eof killed
# ... but a read-only segment past the end of the file maps; reading it fails.
cp bss_past_eof ro_past_eof; poke ro_past_eof 108 '\x04'; add ro_past_eof ro_past_eof ran

# Interpreters that are not i386 ELF programs (ELIBBAD), or not executables
# (found only by load_elf_interp, after the point of no return).  PT_INTERP has
# room for 18 bytes: fixed names in /tmp, written whole and renamed.
interp() {
    cp "$2" "/tmp/$1.$$"; chmod 755 "/tmp/$1.$$"; mv -f "/tmp/$1.$$" "/tmp/$1"
    cp dyn "$3"; poke "$3" "$off" "/tmp/$1\x00"; add "$3" "$3" "$4"
}
interp ue-itxt text interp_not_elf refused
interp ue-iarm arm interp_arm refused
interp ue-icore et_core interp_core killed
rm -f good.c dyn.c host.c mkelf
