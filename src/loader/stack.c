/* The initial stack, laid out as fs/binfmt_elf.c create_elf_tables (and
 * fs/exec.c before it) does for an i386 process on a 64-bit kernel. */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "../mem/mem.h"
#include "../mem/uaccess.h"
#include "load.h"
#include "loader.h"

/* The CPUID.1 EDX feature bits ue reports (src/cpu). */
extern uint32_t cpuid_feature_edx(void);

#define STACK_SIZE (8u << 20)
#define ARG_MAX_TOTAL (STACK_SIZE / 4)  /* the kernel allows a quarter of the stack rlimit */
#define ARG_MAX_STRLEN (32u * 4096)     /* MAX_ARG_STRLEN */
#define PLATFORM "i686"                 /* COMPAT_ELF_PLATFORM */
#define AUXV_MAX 24

void stack_map(bool exec_stack)
{
    int prot = PROT_READ | PROT_WRITE | (exec_stack ? PROT_EXEC : 0);
    guest_addr bottom = GUEST_STACK_TOP - STACK_SIZE;
    long r = mem_mmap(bottom, STACK_SIZE, prot,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_GROWSDOWN, -1, 0);
    if (r == -EEXIST) loader_segv("the program's segments", "overlap the stack");
    if (r < 0) ue_fatal(126, "cannot map the stack: %s", strerror((int)-r));
    mem_name(bottom, STACK_SIZE, "[stack]");
}

/* Copy a string below p; returns its guest address. */
static guest_addr push_string(guest_addr *p, const char *s)
{
    size_t n = strlen(s) + 1;
    *p -= (guest_addr)n;
    if (ua_write(*p, s, n)) ue_fatal(126, "cannot write the initial stack");
    return *p;
}

static void random_bytes(uint8_t *buf, size_t n)
{
    if (getrandom(buf, n, 0) == (ssize_t)n) return;
    /* no getrandom: still different for every run */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid() << 32 ^ (uint64_t)ts.tv_sec;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        buf[i] = (uint8_t)x;
    }
}

static void check_arg_sizes(int argc, char **argv, int envc, char **envp, const char *execfn)
{
    size_t total = strlen(execfn) + 1;
    for (int k = 0; k < argc + envc; k++) {
        const char *s = k < argc ? argv[k] : envp[k - argc];
        size_t n = strlen(s) + 1;
        if (n > ARG_MAX_STRLEN) ue_fatal(126, "%s: %s", execfn, strerror(E2BIG));
        total += n + sizeof(uint32_t);
    }
    if (total > ARG_MAX_TOTAL) ue_fatal(126, "%s: %s", execfn, strerror(E2BIG));
}

guest_addr stack_build(int argc, char **argv, char **envp, const char *execfn,
                       const struct elf_image *exe, guest_addr interp_base)
{
    int envc = 0;
    while (envp[envc]) envc++;
    check_arg_sizes(argc, argv, envc, envp, execfn);

    /* strings, from the top: a 64-bit kernel leaves sizeof(void *) = 8 zero bytes */
    guest_addr p = GUEST_STACK_TOP - 8;
    guest_addr execfn_at = push_string(&p, execfn);
    guest_addr env_at[envc + 1], arg_at[argc + 1];
    for (int k = envc - 1; k >= 0; k--) env_at[k] = push_string(&p, envp[k]);
    for (int k = argc - 1; k >= 0; k--) arg_at[k] = push_string(&p, argv[k]);
    p &= ~15u; /* arch_align_stack without randomisation */
    guest_addr platform_at = push_string(&p, PLATFORM);
    uint8_t rnd[16];
    random_bytes(rnd, sizeof rnd);
    p -= sizeof rnd;
    if (ua_write(p, rnd, sizeof rnd)) ue_fatal(126, "cannot write the initial stack");
    guest_addr random_at = p;

    uint32_t aux[AUXV_MAX * 2];
    int na = 0;
#define AUX(type, val) do { aux[na++] = (type); aux[na++] = (uint32_t)(val); } while (0)
    /* the kernel's order: ARCH_DLINFO (the vdso) first */
    AUX(AT_SYSINFO, vdso_vsyscall());
    AUX(AT_SYSINFO_EHDR, vdso_base);
    AUX(AT_HWCAP, cpuid_feature_edx());
    AUX(AT_PAGESZ, GUEST_PAGE);
    AUX(AT_CLKTCK, 100);
    AUX(AT_PHDR, exe->phdr);
    AUX(AT_PHENT, sizeof(Elf32_Phdr));
    AUX(AT_PHNUM, exe->phnum);
    AUX(AT_BASE, interp_base);
    AUX(AT_FLAGS, 0);
    AUX(AT_ENTRY, exe->entry);
    AUX(AT_UID, getuid());
    AUX(AT_EUID, geteuid());
    AUX(AT_GID, getgid());
    AUX(AT_EGID, getegid());
    AUX(AT_SECURE, 0);
    AUX(AT_RANDOM, random_at);
    AUX(AT_HWCAP2, 0);
    AUX(AT_EXECFN, execfn_at);
    AUX(AT_PLATFORM, platform_at);
    AUX(AT_NULL, 0);
#undef AUX

    /* STACK_ROUND: argc ends up 16-byte aligned */
    uint32_t words = (uint32_t)na + (argc + 1) + (envc + 1) + 1;
    guest_addr sp = (p - words * 4) & ~15u;
    /* argc, argv[], NULL, envp[], NULL, auxv: built on the host, written once */
    uint32_t *w = malloc(words * sizeof *w), *q = w;
    if (!w) ue_fatal(126, "out of memory building the initial stack");
    *q++ = (uint32_t)argc;
    for (int k = 0; k < argc; k++) *q++ = arg_at[k];
    *q++ = 0;
    for (int k = 0; k < envc; k++) *q++ = env_at[k];
    *q++ = 0;
    memcpy(q, aux, na * sizeof aux[0]);
    int e = ua_write(sp, w, words * sizeof *w);
    free(w);
    if (e) ue_fatal(126, "cannot write the initial stack");
    return sp;
}
