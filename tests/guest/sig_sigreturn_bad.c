/* ue-test: variants=s2 d0; cflags=-msse2 */
/* A SIGUSR1 handler spoils its own frame, then returns through rt_sigreturn:
 * a CS or SS the return cannot load (#GP with the selector, or 0 for a
 * null or LDT SS, after the registers were restored), an fpstate pointer to
 * garbage, an MXCSR with reserved bits, a bad xsave header (reserved bytes,
 * unknown features, compacted format), xsave headers leaving x87 or SSE
 * out (those come back in their init state). A failure is SIGSEGV with
 * SI_KERNEL; its handler prints what it saw, including whether the frame's
 * mask (SIGUSR2 added) was already in force, and jumps back. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf back;
static int kind;
static uint8_t *garbage;

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    greg_t *g = uc->uc_mcontext.gregs;
    printf("  SIGSEGV code %d trapno %d err %#x eax %#x esi %#x usr2-blocked %d\n", si->si_code,
           (int)g[REG_TRAPNO], (unsigned)g[REG_ERR], (unsigned)g[REG_EAX], (unsigned)g[REG_ESI],
           sigismember(&uc->uc_sigmask, SIGUSR2));
    siglongjmp(back, 1);
}

static void on_usr1(int sig, siginfo_t *si, void *ucv)
{
    (void)sig; (void)si;
    ucontext_t *uc = ucv;
    greg_t *g = uc->uc_mcontext.gregs;
    uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs, *fx = fp + 112;
    uint32_t magic1;
    memcpy(&magic1, fx + 464, 4);
    int xsave = magic1 == 0x46505853u;
    sigaddset(&uc->uc_sigmask, SIGUSR2);
    g[REG_ESI] = 0x5151;
    g[REG_EAX] = 0x7777;   /* kept when the IRET faults, 0 after a failed sigreturn */
    switch (kind) {
    case 0: break;
    case 1: g[REG_CS] = 0x2b; break;
    case 2: g[REG_CS] = 0x7; break;
    case 3: g[REG_CS] = 0x10; break;
    case 4: g[REG_SS] = 0x1; break;
    case 5: g[REG_SS] = 0x7; break;
    case 6: g[REG_SS] = 0x3a5; break;
    case 7: uc->uc_mcontext.fpregs = (void *)garbage; break;
    case 8: uc->uc_mcontext.fpregs = (void *)(garbage + 0x1000); break;   /* unmapped */
    case 9: fx[24 + 2] = 0xff; break;                                   /* MXCSR reserved bits */
    case 10: if (xsave) fx[512 + 20] = 1; break;                        /* header reserved byte */
    case 11: if (xsave) fx[512 + 8] = 1; break;                         /* xcomp_bv */
    case 12: if (xsave) fx[512 + 7] = 0x40; break;                      /* an unknown feature */
    case 13: fx[464] ^= 1; fp[0] = 0x7f; fp[1] = 0x02; break;           /* bad magic1: FXSAVE image only */
    case 14: if (xsave) fx[512] = 2; fp[0] = 0x7f; fp[1] = 0x02; break; /* no x87 in the header */
    case 15: if (xsave) fx[512] = 1; break;                             /* no SSE in the header */
    case 16: g[REG_CS] = 0x10; uc->uc_mcontext.fpregs = (void *)garbage; break;   /* the FPU fails first */
    case 17: g[REG_CS] = 0xb8; g[REG_SS] = 0x4; break;                  /* an LDT SS: code 0 even so */
    case 18: g[REG_CS] = 0xb8; g[REG_SS] = 0x0; break;
    case 19: g[REG_SS] = 0x10; break;
    case 20: g[REG_SS] = 0x73; break;
    }
}

int main(void)
{
    garbage = mmap(NULL, 0x2000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(garbage, 0xaa, 0x1000);
    munmap(garbage + 0x1000, 0x1000);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_sigaction = on_segv;
    sigaction(SIGSEGV, &sa, NULL);
    for (kind = 0; kind <= 20; kind++) {
        printf("case %d\n", kind);
        fflush(stdout);
        if (sigsetjmp(back, 1)) continue;
        volatile float x = 1.5f;
        __asm__ volatile("movss %0, %%xmm0" : : "m"(x) : "xmm0");
        uint16_t cw = 0x37f;
        __asm__ volatile("fldcw %0" : : "m"(cw));
        raise(SIGUSR1);
        uint32_t xmm0;
        __asm__ volatile("movd %%xmm0, %0" : "=r"(xmm0));
        __asm__ volatile("fnstcw %0" : "=m"(cw));
        sigset_t cur;
        sigprocmask(SIG_BLOCK, NULL, &cur);
        printf("  returned: fcw %#x xmm0 %#x usr2-blocked %d\n", cw, xmm0, sigismember(&cur, SIGUSR2));
        sigdelset(&cur, SIGUSR2);
        sigprocmask(SIG_SETMASK, &cur, NULL);
    }
    return 0;
}
