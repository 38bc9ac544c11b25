/* ue-test: variants=s2 p2 */
/* rt_sigreturn with frames a handler forged, judged as the kernel's
 * ia32_restore_sigcontext does: CS/SS and the data selectors get RPL 3, a
 * data selector that does not load becomes null, EFLAGS takes only
 * FIX_EFLAGS from the frame, a bad CS, SS or fpstate pointer kills with
 * SIGSEGV (run in a child). Registers are read right after the return,
 * before anything touches memory through a forged segment. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static int field;            /* REG_* to forge */
static uint32_t value, or_bits;

static void forge(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    if (field == REG_EFL) uc->uc_mcontext.gregs[REG_EFL] |= or_bits;
    else if (field >= 0) uc->uc_mcontext.gregs[field] = value;
    else uc->uc_mcontext.fpregs = (void *)value;
}

/* A plain handler (sigreturn, not rt_sigreturn): the sigcontext follows its argument. */
static void forge_plain(int sig)
{
    struct sigcontext *sc = (struct sigcontext *)(&sig + 1);
    __asm__("" : "+r"(sc) : : "memory");   /* the frame lies past the argument: keep GCC from judging that */
    if (field == REG_DS) sc->ds = value;
    else if (field == REG_CS) sc->cs = value;
    else if (field == -1) sc->fpstate = (void *)value;
}

static void install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = forge;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGTRAP, &sa, NULL);
}

static void install_plain(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forge_plain;
    sigaction(SIGTRAP, &sa, NULL);
}

/* int3, then the data selectors and EFLAGS as the return left them; AC
 * is cleared and DS/ES/FS come back before any memory access */
static void selectors_after(uint32_t out[5])
{
    uint32_t ds, es, fs, gs, fl;
    __asm__ volatile("mov %%gs, %%esi\n\t"
                     "pushl $0x202\n\t"
                     "popf\n\t"
                     "int3\n\t"
                     "pushf\n\t"
                     "pop %4\n\t"
                     "push %4\n\t"
                     "andl $~0x40000, (%%esp)\n\t"
                     "popf\n\t"
                     "mov %%ds, %0\n\tmov %%es, %1\n\tmov %%fs, %2\n\tmov %%gs, %3\n\t"
                     "push %%ss\n\tpop %%ds\n\tpush %%ss\n\tpop %%es\n\t"
                     "mov %%si, %%gs"
                     : "=&r"(ds), "=&r"(es), "=&r"(fs), "=&r"(gs), "=&r"(fl)
                     :
                     : "esi", "memory", "cc");
    out[0] = ds & 0xffff; out[1] = es & 0xffff; out[2] = fs & 0xffff; out[3] = gs & 0xffff; out[4] = fl;
}

static void survive(const char *name, int f, uint32_t v, uint32_t bits)
{
    uint32_t o[5];
    field = f; value = v; or_bits = bits;
    selectors_after(o);
    /* EFLAGS: AC, ID, NT, IOPL, TF and the status flags (no RF/VM/VIF/VIP) */
    printf("%-22s ds %#x es %#x fs %#x gs %s eflags %#x\n", name, o[0], o[1], o[2],
           o[3] == 0 ? "0" : "kept", o[4] & 0x247fd5);
}

static void dies(const char *name, int f, uint32_t v)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        uint32_t o[5];
        field = f; value = v;
        selectors_after(o);
        printf("%-22s survived: ds %#x\n", name, o[0]);
        exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st)) printf("%-22s killed by signal %d\n", name, WTERMSIG(st));
    else printf("%-22s exit %d\n", name, WEXITSTATUS(st));
}

int main(void)
{
    install();
    survive("unchanged", -2, 0, 0);
    survive("eflags all", REG_EFL, 0, 0x40000 | 0x200000 | 0x4000 | 0x3000 | 0x8d5 | 0x80000 | 0x100000);
    survive("eflags ac", REG_EFL, 0, 0x40000);
    survive("ds 0x28", REG_DS, 0x28, 0);
    survive("ds 0", REG_DS, 0, 0);
    survive("ds 0x1234 (bad)", REG_DS, 0x1234, 0);
    survive("ds 0x23 (code)", REG_DS, 0x23, 0);
    survive("es 0x7b", REG_ES, 0x7b, 0);
    survive("es 0x8 (kernel)", REG_ES, 0x8, 0);
    survive("fs 0x2b", REG_FS, 0x2b, 0);
    survive("fs 0xfffc", REG_FS, 0xfffc, 0);
    survive("gs 0x1234 (bad)", REG_GS, 0x1234, 0);
    survive("cs 0x20", REG_CS, 0x20, 0);
    survive("ss 0x28", REG_SS, 0x28, 0);
    survive("fpstate 0 (fresh)", -1, 0, 0);
    dies("cs 0x2b (data)", REG_CS, 0x2b);
    dies("cs 0x1234", REG_CS, 0x1234);
    dies("ss 0x23 (code)", REG_SS, 0x23);
    dies("ss 0x1234", REG_SS, 0x1234);
    dies("fpstate 0x10", -1, 0x10);
    dies("fpstate kernel", -1, 0xfffff000);
    install_plain();
    survive("plain: unchanged", -2, 0, 0);
    survive("plain: ds 0x1234 (bad)", REG_DS, 0x1234, 0);
    survive("plain: ds 0x28", REG_DS, 0x28, 0);
    dies("plain: cs 0x1234", REG_CS, 0x1234);
    dies("plain: fpstate 0x10", -1, 0x10);
    return 0;
}
