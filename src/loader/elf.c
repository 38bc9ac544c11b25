/* ELF32 i386 images: checks like the kernel's binfmt_elf, then PT_LOAD
 * segments mapped from the file into the guest window. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../mem/mem.h"
#include "../mem/uaccess.h"
#include "load.h"

#ifndef EM_486
#define EM_486 6
#endif
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
    case EM_486: return "i486";
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

/* What load_elf_binary checks before the point of no return, in its order
 * (fs/binfmt_elf.c, compat_binfmt_elf.c on x86-64): the magic, e_type
 * (the main program only: load_elf_interp checks the interpreter's later),
 * e_machine EM_386 or EM_486 (elf_check_arch_ia32), e_phentsize and the
 * program header table's size.  EI_CLASS, EI_DATA, EI_VERSION, EI_OSABI,
 * e_version, e_flags and the section headers are not looked at.  A file
 * shorter than the header reads as zeros, as bprm->buf does. */
static void check_ehdr(const Elf32_Ehdr *eh, const char *shown, bool main_program)
{
    char msg[96];
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG)) bad(shown, "not an ELF file");
    if (main_program && eh->e_type != ET_EXEC && eh->e_type != ET_DYN) {
        snprintf(msg, sizeof msg, "not an executable (ELF type %d%s)", eh->e_type,
                 eh->e_type == ET_REL ? ", relocatable object" : eh->e_type == ET_CORE ? ", core file" : "");
        bad(shown, msg);
    }
    if (eh->e_machine != EM_386 && eh->e_machine != EM_486) {
        snprintf(msg, sizeof msg, "not an i386 ELF (machine %d, %s)", eh->e_machine,
                 machine_name(eh->e_machine));
        bad(shown, msg);
    }
    if (eh->e_phentsize != sizeof(Elf32_Phdr)) bad(shown, "bad program header entry size");
    /* load_elf_phdrs: at least one entry, at most 64 KiB of them */
    if (eh->e_phnum == 0 || eh->e_phnum > 65536 / sizeof(Elf32_Phdr)) bad(shown, "bad program header count");
}

/* After the point of no return the kernel cannot fail execve any more: it
 * kills the new process with SIGSEGV.  ue says why, then dies the same way. */
void __attribute__((noreturn)) loader_segv(const char *shown, const char *what)
{
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "ue: %s: %s (killed by SIGSEGV, as the kernel does)\n", shown, what);
    if (n < 0 || n >= (int)sizeof buf) n = (int)strlen(buf);
    if (write(STDERR_FILENO, buf, n) < 0) { /* nowhere left to report it */ }
    signal(SIGSEGV, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGSEGV);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(SIGSEGV);
    _exit(128 + SIGSEGV);
}

/* No PT_GNU_STACK in an i386 main program: the kernel sets the
 * READ_IMPLIES_EXEC personality (elf_read_implies_exec) before mapping. */
static bool read_implies_exec;

static int seg_prot(uint32_t pf)
{
    int prot = (pf & PF_R ? PROT_READ : 0) | (pf & PF_W ? PROT_WRITE : 0) | (pf & PF_X ? PROT_EXEC : 0);
    return read_implies_exec && (prot & PROT_READ) ? prot | PROT_EXEC : prot;
}

static void map_or_die(long r, const char *shown, const char *what)
{
    if (r < 0) {
        char msg[128];
        snprintf(msg, sizeof msg, "cannot map %s: %s", what, strerror((int)-r));
        loader_segv(shown, msg);
    }
}

/* One PT_LOAD as elf_load in fs/binfmt_elf.c: file pages; the rest of the
 * last file page zeroed only when the segment is writable (padzero's
 * clear_user fails on a read-only page and the kernel ignores that, so the
 * file's bytes stay); whole bss pages anonymous and writable (vm_brk_flags
 * gives them the data flags whatever the segment says, exec when it has it). */
static void map_segment(int fd, const Elf32_Phdr *ph, guest_addr bias, off_t file_size, const char *shown)
{
    guest_addr v = bias + ph->p_vaddr;
    guest_addr start = PAGE_DOWN(v);
    guest_addr file_end = v + ph->p_filesz, mem_end = v + ph->p_memsz;
    int prot = seg_prot(ph->p_flags);
    guest_addr anon_start = start;

    if (ph->p_filesz) {
        uint32_t len = PAGE_UP(file_end) - start;
        bool zero_tail = ph->p_memsz > ph->p_filesz && (file_end & (GUEST_PAGE - 1)) && (prot & PROT_WRITE);
        map_or_die(mem_mmap(start, len, prot, MAP_PRIVATE | MAP_FIXED, fd, ph->p_offset - (v - start)),
                   shown, "segment");
        if (zero_tail) {
            /* a page wholly past the end of the file faults in clear_user too
             * (the copy routine survives the SIGBUS; the file may shrink meanwhile) */
            if ((off_t)PAGE_DOWN(ph->p_offset + ph->p_filesz) >= file_size
                || ua_clear_partial(file_end, PAGE_UP(file_end) - file_end))
                loader_segv(shown, "the bss starts in a page past the end of the file");
        }
        anon_start = PAGE_UP(file_end);
    }
    if (ph->p_memsz > ph->p_filesz && PAGE_UP(mem_end) > anon_start)
        map_or_die(mem_mmap(anon_start, PAGE_UP(mem_end) - anon_start,
                            PROT_READ | PROT_WRITE | (prot & PROT_EXEC),
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), shown, "bss");
}

void elf_check(int fd, const char *shown, bool main_program, struct elf_image *img)
{
    struct stat st;
    Elf32_Ehdr *eh = &img->eh;

    free(img->ph);
    memset(img, 0, sizeof *img);
    if (fstat(fd, &st) < 0) bad(shown, strerror(errno));
    img->file_size = st.st_size;
    if (pread(fd, eh, sizeof *eh, 0) < 0) bad(shown, strerror(errno));
    check_ehdr(eh, shown, main_program);

    /* elf_read: a short read of the table is an error (EIO) */
    size_t phsize = (size_t)eh->e_phnum * sizeof(Elf32_Phdr);
    img->ph = malloc(phsize);
    if (!img->ph) ue_fatal(70, "out of memory");
    if ((uint64_t)eh->e_phoff + phsize > (uint64_t)st.st_size ||
        pread(fd, img->ph, phsize, eh->e_phoff) != (ssize_t)phsize)
        bad(shown, "truncated program header table");

    /* the first PT_INTERP only, as load_elf_binary's loop breaks there */
    for (int k = 0; k < eh->e_phnum && main_program; k++) {
        const Elf32_Phdr *p = &img->ph[k];
        if (p->p_type != PT_INTERP) continue;
        if (p->p_filesz < 2 || p->p_filesz > sizeof img->interp) bad(shown, "bad PT_INTERP size");
        if (pread(fd, img->interp, p->p_filesz, p->p_offset) != (ssize_t)p->p_filesz)
            bad(shown, "truncated PT_INTERP");
        if (img->interp[p->p_filesz - 1] != 0) bad(shown, "PT_INTERP is not NUL-terminated");
        img->has_interp = true;
        break;
    }
    img->exec_stack = true; /* i386: no PT_GNU_STACK means an executable stack */
    bool gnu_stack = false;
    for (int k = 0; k < eh->e_phnum; k++)
        if (img->ph[k].p_type == PT_GNU_STACK) {
            img->exec_stack = img->ph[k].p_flags & PF_X;
            gnu_stack = true;
        }
    if (main_program) {
        /* the flag is inherited across execve and never cleared by it */
        int pers = personality(0xffffffff);
        read_implies_exec = !gnu_stack || (pers != -1 && (pers & READ_IMPLIES_EXEC));
        if (read_implies_exec && pers != -1 && !(pers & READ_IMPLIES_EXEC))
            personality(pers | READ_IMPLIES_EXEC);   /* the guest's personality() shows it */
        mem_set_read_implies_exec(read_implies_exec);
    }
}

void elf_map_image(int fd, const char *shown, bool main_program, struct elf_image *img)
{
    const Elf32_Ehdr *eh = &img->eh;
    const Elf32_Phdr *ph = img->ph;

    /* load_elf_interp checks these only now */
    if (!main_program && eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
        loader_segv(shown, "the interpreter is not an executable or shared object");

    /* the span of the PT_LOAD segments, and the checks the kernel makes as it maps each */
    uint64_t lo = UINT64_MAX, hi = 0;
    uint32_t align = GUEST_PAGE;
    int nload = 0;
    for (int k = 0; k < eh->e_phnum; k++) {
        const Elf32_Phdr *p = &ph[k];
        if (p->p_type != PT_LOAD) continue;
        nload++;
        if (p->p_filesz > p->p_memsz) loader_segv(shown, "segment file size exceeds its memory size");
        /* only a file mapping has an offset to disagree (elf_load maps nothing for p_filesz 0) */
        if (p->p_filesz && ((p->p_vaddr - p->p_offset) & (GUEST_PAGE - 1)))
            loader_segv(shown, "segment offset and address disagree modulo the page size");
        if ((uint64_t)p->p_vaddr + p->p_memsz > 0xffffe000u) loader_segv(shown, "segment outside the 32-bit address space");
        if (p->p_vaddr < lo) lo = p->p_vaddr;
        if ((uint64_t)p->p_vaddr + p->p_memsz > hi) hi = (uint64_t)p->p_vaddr + p->p_memsz;
        if (p->p_align > align && !(p->p_align & (p->p_align - 1))) align = p->p_align;
    }
    if (!nload) loader_segv(shown, "no loadable segments");
    lo = PAGE_DOWN(lo);
    hi = PAGE_UP(hi);

    if (eh->e_type == ET_DYN) {
        guest_addr base;
        uint64_t room = (hi - lo) + align - GUEST_PAGE;
        if (room > 0xffffe000u) loader_segv(shown, "image does not fit in the address space");
        if (main_program) {
            base = PIE_BASE & ~(align - 1);
        } else {
            /* find room top-down, as mmap(NULL, span) would */
            long r = mem_mmap(0, (uint32_t)room, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            map_or_die(r, shown, "image");
            mem_munmap((guest_addr)r, (uint32_t)room);
            base = ((guest_addr)r + align - 1) & ~(align - 1);
        }
        img->bias = PAGE_DOWN(base - (guest_addr)lo);
        if ((uint64_t)img->bias + hi > 0xffffe000u) loader_segv(shown, "image does not fit in the address space");
    }

    /* AT_PHDR: where the last PT_LOAD whose file range holds the table puts
     * it, else 0, plus the bias (PT_PHDR plays no part) */
    guest_addr phdr = 0;
    for (int k = 0; k < eh->e_phnum; k++) {
        if (ph[k].p_type != PT_LOAD) continue;
        map_segment(fd, &ph[k], img->bias, img->file_size, shown);
        if (ph[k].p_offset <= eh->e_phoff && eh->e_phoff < (uint64_t)ph[k].p_offset + ph[k].p_filesz)
            phdr = eh->e_phoff - ph[k].p_offset + ph[k].p_vaddr;
    }
    img->phdr = phdr + img->bias;

    img->entry = eh->e_entry + img->bias;
    img->phnum = eh->e_phnum;
    img->end = (guest_addr)(img->bias + hi);
}
