/* The fuzzer's i386 runner (gcc -m32 -static): reads a case file, lays
 * every case's code out once in a code area at a fixed address, and runs the
 * cases one by one: window memory and the full register state loaded, the
 * code run until it jumps to fz_exit or raises a signal, the state it ended
 * in masked and hashed. Runs natively and under ue; the driver compares.
 *
 * usage: runner [--dump K] [--from K] [--flush] CASEFILE
 *   writes one struct fz_result per case to stdout; --dump K runs only case
 *   K (with --from F: cases F..K) and writes K's raw struct fz_state instead. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "fuzz.h"

/* shared with runner_stub.S */
uint8_t fz_in_fx[512] __attribute__((aligned(16)));
uint8_t fz_out_fx[512] __attribute__((aligned(16)));
uint32_t fz_in_gpr[8], fz_out_gpr[8];
uint32_t fz_in_eflags, fz_out_eflags;
uint32_t fz_host_esp, fz_entry;
uint32_t fz_mxcsr_default = 0x1f80;
void fz_enter(void);
void fz_exit(void);

static sigjmp_buf jb;
static struct fz_state st;
static uint32_t cur_base;

static void die(const char *what)
{
    fprintf(stderr, "runner: %s: %s\n", what, strerror(errno));
    exit(2);
}

/* A case raised a signal: its state is the signal frame's. */
static void on_signal(int sig, siginfo_t *si, void *ucv)
{
    __asm__ volatile("pushfl\n\tandl $~0x40000,(%%esp)\n\tpopfl" ::: "memory", "cc");   /* the kernel keeps AC set here */
    ucontext_t *uc = ucv;
    greg_t *g = uc->uc_mcontext.gregs;
    st.gpr[0] = g[REG_EAX];
    st.gpr[1] = g[REG_ECX];
    st.gpr[2] = g[REG_EDX];
    st.gpr[3] = g[REG_EBX];
    st.gpr[4] = g[REG_ESP];
    st.gpr[5] = g[REG_EBP];
    st.gpr[6] = g[REG_ESI];
    st.gpr[7] = g[REG_EDI];
    st.eip_off = (uint32_t)g[REG_EIP] - cur_base;
    st.eflags = g[REG_EFL];
    st.sig = sig;
    st.code = si->si_code;
    st.addr = (uint32_t)(uintptr_t)si->si_addr;
    st.trapno = g[REG_TRAPNO];
    st.err = g[REG_ERR];
    const uint8_t *fp = (const uint8_t *)uc->uc_mcontext.fpregs;
    if (fp) {
        memcpy(st.fenv, fp, 12);
        /* struct _fpstate_32: the FXSAVE image follows at 112 when magic (at 110) is 0 */
        if (fp[110] == 0 && fp[111] == 0) memcpy(st.fx, fp + 112, sizeof st.fx);
    }
    siglongjmp(jb, 1);
}

static void map_fixed(uint32_t addr, uint32_t len, int prot)
{
    void *p = mmap((void *)(uintptr_t)addr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED) die("mmap");
    if (p != (void *)(uintptr_t)addr) {
        errno = EEXIST;
        die("mmap at a fixed address");
    }
}

static void run_case(const struct fz_case *c, uint32_t base)
{
    memcpy((void *)(uintptr_t)FZ_WIN, c->mem, FZ_WIN_SIZE);
    memset((void *)(uintptr_t)FZ_TAIL, 0, FZ_TAIL_SIZE);
    memcpy(fz_in_fx, c->fx, sizeof fz_in_fx);
    memcpy(fz_in_gpr, c->gpr, sizeof fz_in_gpr);
    fz_in_eflags = c->eflags;
    fz_entry = base;
    cur_base = base;
    memset(&st, 0, sizeof st);
    if (sigsetjmp(jb, 1) == 0) {
        fz_enter();
        memcpy(st.gpr, fz_out_gpr, sizeof st.gpr);
        st.eflags = fz_out_eflags;
        memcpy(st.fx, fz_out_fx, sizeof st.fx);
        st.eip_off = c->code_len;
    }
    memcpy(st.mem, (void *)(uintptr_t)FZ_WIN, FZ_WIN_SIZE);
    memcpy(st.tail, (void *)(uintptr_t)FZ_TAIL, FZ_TAIL_SIZE);
}

int main(int argc, char **argv)
{
    long dump = -1, from = 0;
    int flush = 0;
    const char *path = NULL;
    for (int k = 1; k < argc; k++) {
        if (!strcmp(argv[k], "--dump") && k + 1 < argc) dump = atol(argv[++k]);
        else if (!strcmp(argv[k], "--from") && k + 1 < argc) from = atol(argv[++k]);
        else if (!strcmp(argv[k], "--flush")) flush = 1;
        else path = argv[k];
    }
    if (!path) {
        fprintf(stderr, "usage: runner [--dump K] [--from K] [--flush] CASEFILE\n");
        return 2;
    }
    FILE *f = fopen(path, "rb");
    if (!f) die(path);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(size + 16);
    if (!buf || fread(buf, 1, size, f) != (size_t)size) die("read");
    fclose(f);

    /* index the cases and size the code area */
    long n = 0, cap = 1024;
    const struct fz_case **cases = malloc(cap * sizeof *cases);
    uint32_t *offs = malloc(cap * sizeof *offs);
    uint32_t code_size = 0;
    for (long pos = 0; pos + (long)sizeof(struct fz_case) <= size;) {
        const struct fz_case *c = (const void *)(buf + pos);
        if (c->magic != FZ_MAGIC || c->size < sizeof *c || pos + (long)c->size > size) {
            fprintf(stderr, "runner: %s: bad case record at byte %ld\n", path, pos);
            return 2;
        }
        if (n == cap) {
            cap *= 2;
            cases = realloc(cases, cap * sizeof *cases);
            offs = realloc(offs, cap * sizeof *offs);
        }
        cases[n] = c;
        offs[n++] = code_size;
        code_size = (code_size + c->code_len + 5 + 15) & ~15u;
        pos += c->size;
    }
    if (code_size > FZ_CODE_SIZE) {
        fprintf(stderr, "runner: %s: the cases need more than the code area\n", path);
        return 2;
    }

    map_fixed(FZ_RO_PAGE, 0x1000, PROT_READ);
    /* read it once: a store then finds the page present (error code P=1) in both runs */
    (void)*(volatile uint8_t *)(uintptr_t)FZ_RO_PAGE;
    map_fixed(FZ_DATA_PAGE, FZ_DATA_SIZE, PROT_READ | PROT_WRITE);
    map_fixed(FZ_UNMAPPED, 0x1000, PROT_NONE);   /* proves the guard page is free */
    munmap((void *)(uintptr_t)FZ_UNMAPPED, 0x1000);
    uint32_t area = (code_size + 0xfff) & ~0xfffu;
    if (!area) area = 0x1000;
    map_fixed(FZ_CODE_BASE, area, PROT_READ | PROT_WRITE);
    for (long k = 0; k < n; k++) {
        uint8_t *p = (uint8_t *)(uintptr_t)(FZ_CODE_BASE + offs[k]);
        uint32_t len = cases[k]->code_len;
        memcpy(p, fz_code(cases[k]), len);
        uint32_t rel = (uint32_t)(uintptr_t)fz_exit - (FZ_CODE_BASE + offs[k] + len + 5);
        p[len] = 0xe9;
        memcpy(p + len + 1, &rel, 4);
    }
    if (mprotect((void *)(uintptr_t)FZ_CODE_BASE, area, PROT_READ | PROT_EXEC)) die("mprotect");

    static uint8_t altstack[1 << 16];
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
    if (sigaltstack(&ss, NULL)) die("sigaltstack");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigfillset(&sa.sa_mask);
    int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP };
    for (unsigned k = 0; k < sizeof sigs / sizeof sigs[0]; k++)
        if (sigaction(sigs[k], &sa, NULL)) die("sigaction");

    if (dump >= 0) {
        if (dump >= n) {
            fprintf(stderr, "runner: no case %ld\n", dump);
            return 2;
        }
        for (long k = from; k < dump; k++)   /* --from K: the cases before run first */
            run_case(cases[k], FZ_CODE_BASE + offs[k]);
        run_case(cases[dump], FZ_CODE_BASE + offs[dump]);
        fwrite(&st, sizeof st, 1, stdout);
        return 0;
    }
    for (long k = from; k < n; k++) {
        struct fz_result r;
        run_case(cases[k], FZ_CODE_BASE + offs[k]);
        fz_mask_state(cases[k], &st);
        fz_hash(&st, sizeof st, &r.hash_lo, &r.hash_hi);
        r.eip_off = st.eip_off;
        r.sig = st.sig;
        fwrite(&r, sizeof r, 1, stdout);
        if (flush) fflush(stdout);
    }
    return 0;
}
