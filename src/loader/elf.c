/* ELF32 i386 images: checks like the kernel's binfmt_elf, then PT_LOAD
 * segments mapped from the file into the guest window. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../mem/mem.h"
#include "load.h"

#define EXIT_NOEXEC 126
#define EXIT_NOTFOUND 127

static void __attribute__((noreturn)) bad(const char *shown, const char *what)
{
    ue_fatal(EXIT_NOEXEC, "%s: %s", shown, what);
}

int loader_open(const char *path, const char *shown)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        ue_fatal(errno == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC, "%s: %s", shown, strerror(errno));
    if (fstat(fd, &st) < 0) ue_fatal(EXIT_NOEXEC, "%s: %s", shown, strerror(errno));
    if (S_ISDIR(st.st_mode)) bad(shown, "Is a directory");
    /* execve wants a regular file with an execute bit the caller may use */
    if (!S_ISREG(st.st_mode) || access(path, X_OK) < 0) bad(shown, strerror(EACCES));
    return fd;
}

static const char *machine_name(int m)
{
    switch (m) {
    case EM_NONE: return "none";
    case EM_SPARC: return "SPARC";
    case EM_386: return "i386";
    case EM_68K: return "m68k";
    case EM_MIPS: return "MIPS";
    case EM_PPC: return "PowerPC";
    case EM_PPC64: return "PowerPC64";
    case EM_S390: return "s390";
    case EM_ARM: return "ARM";
    case EM_SH: return "SuperH";
    case EM_SPARCV9: return "SPARC64";
    case EM_IA_64: return "IA-64";
    case EM_X86_64: return "x86-64";
    case EM_AARCH64: return "AArch64";
    case EM_RISCV: return "RISC-V";
    case EM_LOONGARCH: return "LoongArch";
    default: return "unknown";
    }
}

/* The header checks; buf holds the first n bytes of the file. */
static void check_ehdr(const Elf32_Ehdr *eh, size_t n, const char *shown)
{
    char msg[96];
    if (n < SELFMAG || memcmp(eh->e_ident, ELFMAG, SELFMAG)) bad(shown, "not an ELF file");
    if (n < EI_NIDENT) bad(shown, "truncated ELF header");
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB) bad(shown, "big-endian ELF, need little-endian");
    /* e_machine sits at the same offset in 32- and 64-bit headers: name the foreign machine first */
    if (n >= offsetof(Elf32_Ehdr, e_version) && eh->e_machine != EM_386) {
        snprintf(msg, sizeof msg, "not an i386 ELF (machine %d, %s)", eh->e_machine,
                 machine_name(eh->e_machine));
        bad(shown, msg);
    }
    if (eh->e_ident[EI_CLASS] == ELFCLASS64) bad(shown, "ELF 64-bit, need 32-bit");
    if (eh->e_ident[EI_CLASS] != ELFCLASS32) {
        snprintf(msg, sizeof msg, "bad ELF class %d", eh->e_ident[EI_CLASS]);
        bad(shown, msg);
    }
    if (n < sizeof *eh) bad(shown, "truncated ELF header");
    if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) {
        snprintf(msg, sizeof msg, "not an executable (ELF type %d%s)", eh->e_type,
                 eh->e_type == ET_REL ? ", relocatable object" : eh->e_type == ET_CORE ? ", core file" : "");
        bad(shown, msg);
    }
    if (eh->e_phentsize != sizeof(Elf32_Phdr)) bad(shown, "bad program header entry size");
    /* the kernel refuses more than 64 KiB of program headers */
    if (eh->e_phnum == 0 || eh->e_phnum > 65536 / sizeof(Elf32_Phdr)) bad(shown, "bad program header count");
}

static int seg_prot(uint32_t pf)
{
    return (pf & PF_R ? PROT_READ : 0) | (pf & PF_W ? PROT_WRITE : 0) | (pf & PF_X ? PROT_EXEC : 0);
}

static void map_or_die(long r, const char *shown, const char *what)
{
    if (r < 0) {
        char msg[128];
        snprintf(msg, sizeof msg, "cannot map %s: %s", what, strerror((int)-r));
        bad(shown, msg);
    }
}

/* One PT_LOAD: file pages, then the partial bss page zeroed, then anonymous bss. */
static void map_segment(int fd, const Elf32_Phdr *ph, guest_addr bias, const char *shown)
{
    guest_addr v = bias + ph->p_vaddr;
    guest_addr start = PAGE_DOWN(v);
    guest_addr file_end = v + ph->p_filesz, mem_end = v + ph->p_memsz;
    int prot = seg_prot(ph->p_flags);
    guest_addr anon_start = start;

    if (ph->p_filesz) {
        uint32_t len = PAGE_UP(file_end) - start;
        bool zero_tail = ph->p_memsz > ph->p_filesz && (file_end & (GUEST_PAGE - 1));
        int mprot = zero_tail ? prot | PROT_WRITE : prot;
        map_or_die(mem_mmap(start, len, mprot, MAP_PRIVATE | MAP_FIXED, fd, ph->p_offset - (v - start)),
                   shown, "segment");
        if (zero_tail) {
            memset(g2h(file_end), 0, PAGE_UP(file_end) - file_end); /* what the file has there is not bss */
            if (mprot != prot) map_or_die(mem_mprotect(start, len, prot), shown, "segment");
        }
        anon_start = PAGE_UP(file_end);
    }
    if (PAGE_UP(mem_end) > anon_start)
        map_or_die(mem_mmap(anon_start, PAGE_UP(mem_end) - anon_start, prot,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), shown, "bss");
}

void elf_load(int fd, const char *shown, bool main_program, struct elf_image *img)
{
    Elf32_Ehdr eh;
    struct stat st;

    memset(img, 0, sizeof *img);
    if (fstat(fd, &st) < 0) bad(shown, strerror(errno));
    memset(&eh, 0, sizeof eh);
    ssize_t n = pread(fd, &eh, sizeof eh, 0);
    if (n < 0) bad(shown, strerror(errno));
    check_ehdr(&eh, (size_t)n, shown);

    size_t phsize = (size_t)eh.e_phnum * sizeof(Elf32_Phdr);
    if ((uint64_t)eh.e_phoff + phsize > (uint64_t)st.st_size) bad(shown, "truncated program header");
    Elf32_Phdr ph[65536 / sizeof(Elf32_Phdr)];
    if (pread(fd, ph, phsize, eh.e_phoff) != (ssize_t)phsize) bad(shown, "truncated program header");

    /* the span of the PT_LOAD segments, and the segment checks */
    uint64_t lo = UINT64_MAX, hi = 0;
    uint32_t align = GUEST_PAGE;
    int nload = 0;
    img->exec_stack = true; /* i386: no PT_GNU_STACK means an executable stack */
    for (int k = 0; k < eh.e_phnum; k++) {
        const Elf32_Phdr *p = &ph[k];
        if (p->p_type == PT_GNU_STACK) img->exec_stack = p->p_flags & PF_X;
        if (p->p_type == PT_INTERP && main_program) {
            if (p->p_filesz < 2 || p->p_filesz > sizeof img->interp) bad(shown, "bad PT_INTERP");
            if (pread(fd, img->interp, p->p_filesz, p->p_offset) != (ssize_t)p->p_filesz)
                bad(shown, "truncated PT_INTERP");
            if (img->interp[p->p_filesz - 1] != 0) bad(shown, "PT_INTERP is not NUL-terminated");
        }
        if (p->p_type != PT_LOAD) continue;
        nload++;
        if (p->p_filesz > p->p_memsz) bad(shown, "segment file size exceeds its memory size");
        if ((uint64_t)p->p_offset + p->p_filesz > (uint64_t)st.st_size) bad(shown, "truncated segment");
        if ((p->p_vaddr - p->p_offset) & (GUEST_PAGE - 1)) bad(shown, "segment offset and address disagree modulo the page size");
        if ((uint64_t)p->p_vaddr + p->p_memsz > 0xffffe000u) bad(shown, "segment outside the 32-bit address space");
        if (p->p_vaddr < lo) lo = p->p_vaddr;
        if ((uint64_t)p->p_vaddr + p->p_memsz > hi) hi = (uint64_t)p->p_vaddr + p->p_memsz;
        if (p->p_align > align && !(p->p_align & (p->p_align - 1))) align = p->p_align;
    }
    if (!nload) bad(shown, "no loadable segments");
    lo = PAGE_DOWN(lo);
    hi = PAGE_UP(hi);

    if (eh.e_type == ET_DYN) {
        guest_addr base;
        if (main_program) {
            base = PIE_BASE & ~(align - 1);
        } else {
            /* find room top-down, as mmap(NULL, span) would */
            long r = mem_mmap(0, (uint32_t)(hi - lo) + align - GUEST_PAGE, PROT_NONE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            map_or_die(r, shown, "image");
            mem_munmap((guest_addr)r, (uint32_t)(hi - lo) + align - GUEST_PAGE);
            base = ((guest_addr)r + align - 1) & ~(align - 1);
        }
        img->bias = PAGE_DOWN(base - (guest_addr)lo);
        if ((uint64_t)img->bias + hi > 0xffffe000u) bad(shown, "image does not fit in the address space");
    }

    for (int k = 0; k < eh.e_phnum; k++) {
        if (ph[k].p_type != PT_LOAD) continue;
        map_segment(fd, &ph[k], img->bias, shown);
        /* AT_PHDR: the program headers inside the segment whose file range holds them */
        if (!img->phdr && ph[k].p_offset <= eh.e_phoff && eh.e_phoff < ph[k].p_offset + ph[k].p_filesz)
            img->phdr = eh.e_phoff - ph[k].p_offset + ph[k].p_vaddr + img->bias;
    }
    for (int k = 0; k < eh.e_phnum && !img->phdr; k++)
        if (ph[k].p_type == PT_PHDR) img->phdr = ph[k].p_vaddr + img->bias;

    img->entry = eh.e_entry + img->bias;
    img->phnum = eh.e_phnum;
    img->end = (guest_addr)(img->bias + hi);
}
