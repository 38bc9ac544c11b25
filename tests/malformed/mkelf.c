/* mkelf OUT: write a hand-made static i386 ELF whose loading shows what
 * fs/binfmt_elf.c elf_load does with p_filesz < p_memsz:
 *   segment 1 (R+X, file offset 0): p_filesz ends at 0x180, p_memsz reaches
 *     into the next page; the file has marker bytes at 0x180.  The kernel's
 *     padzero cannot clear a read-only page, so the markers stay visible; the
 *     next page comes from vm_brk_flags and is zero and writable.
 *   segment 2 (R+W, file offset 0x1000): p_filesz 16 of 0x100; the rest of
 *     the page is zeroed although the file has bytes there.
 * The program writes what it sees to stdout and exits 0. */
#include <elf.h>
#include <stdio.h>
#include <string.h>

#define BASE 0x08048000u

/* The code at 0x80 (as --32):
 *   write(1, 0x08048180, 16)   markers past p_filesz, same page
 *   write(1, 0x08049000, 4)    the bss page of segment 1
 *   movb $0x41, 0x08049000     writable although the segment is not
 *   write(1, 0x08049000, 1)
 *   write(1, 0x0804b000, 32)   segment 2: 16 file bytes, 16 zeroed
 *   exit(0) */
static const unsigned char code[] = {
    0xb8, 0x04, 0x00, 0x00, 0x00, 0xbb, 0x01, 0x00, 0x00, 0x00, 0xb9, 0x80, 0x81, 0x04, 0x08,
    0xba, 0x10, 0x00, 0x00, 0x00, 0xcd, 0x80,
    0xb8, 0x04, 0x00, 0x00, 0x00, 0xbb, 0x01, 0x00, 0x00, 0x00, 0xb9, 0x00, 0x90, 0x04, 0x08,
    0xba, 0x04, 0x00, 0x00, 0x00, 0xcd, 0x80,
    0xc6, 0x05, 0x00, 0x90, 0x04, 0x08, 0x41,
    0xb8, 0x04, 0x00, 0x00, 0x00, 0xbb, 0x01, 0x00, 0x00, 0x00, 0xb9, 0x00, 0x90, 0x04, 0x08,
    0xba, 0x01, 0x00, 0x00, 0x00, 0xcd, 0x80,
    0xb8, 0x04, 0x00, 0x00, 0x00, 0xbb, 0x01, 0x00, 0x00, 0x00, 0xb9, 0x00, 0xb0, 0x04, 0x08,
    0xba, 0x20, 0x00, 0x00, 0x00, 0xcd, 0x80,
    0xb8, 0x01, 0x00, 0x00, 0x00, 0x31, 0xdb, 0xcd, 0x80,
};

int main(int argc, char **argv)
{
    static unsigned char img[0x1020];
    if (argc != 2) {
        fprintf(stderr, "usage: mkelf OUT\n");
        return 2;
    }
    Elf32_Ehdr *eh = (Elf32_Ehdr *)img;
    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS32;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = ET_EXEC;
    eh->e_machine = EM_386;
    eh->e_version = EV_CURRENT;
    eh->e_entry = BASE + 0x80;
    eh->e_phoff = sizeof *eh;
    eh->e_ehsize = sizeof *eh;
    eh->e_phentsize = sizeof(Elf32_Phdr);
    eh->e_phnum = 2;
    Elf32_Phdr *ph = (Elf32_Phdr *)(img + sizeof *eh);
    ph[0] = (Elf32_Phdr){ .p_type = PT_LOAD, .p_offset = 0, .p_vaddr = BASE, .p_paddr = BASE,
                          .p_filesz = 0x180, .p_memsz = 0x1100, .p_flags = PF_R | PF_X, .p_align = 0x1000 };
    ph[1] = (Elf32_Phdr){ .p_type = PT_LOAD, .p_offset = 0x1000, .p_vaddr = BASE + 0x3000,
                          .p_paddr = BASE + 0x3000, .p_filesz = 0x10, .p_memsz = 0x100,
                          .p_flags = PF_R | PF_W, .p_align = 0x1000 };
    memcpy(img + 0x80, code, sizeof code);
    memcpy(img + 0x180, "padzero-keeps-me", 16);
    memcpy(img + 0x1000, "data-in-the-file", 16);
    memcpy(img + 0x1010, "must-be-zeroed!!", 16);
    FILE *f = fopen(argv[1], "wb");
    if (!f || fwrite(img, sizeof img, 1, f) != 1 || fclose(f)) {
        perror(argv[1]);
        return 1;
    }
    return 0;
}
