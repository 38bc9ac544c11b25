/* ue-test: variants=s2 d0 */
/* A handler's changes to the FPU state in its frame, restored by
 * sigreturn through the XSAVE path: the features the frame's
 * fpx_sw_bytes.xfeatures leaves out go back to their init state whatever
 * the image holds (the kernel masks the xsave header with it before
 * XRSTOR): without FP the control word is 0x37f, without SSE xmm0 is 0;
 * MXCSR then follows what the CPU's XRSTOR does (some load it from the
 * image whenever SSE is asked for, AMD's give 0x1f80 when the SSE
 * component is initialized). The handler also changes the xsave header's
 * own features. Found by the sigframe fuzzer (seed 0xa00d, case 39). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

static uint32_t sw_xf, hdr_xf;
static int set_hdr, have_xsave;

static void handler(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs;
    uint32_t magic1, cw = 0x27f, mx = 0x7, x0 = 0x12345678;
    (void)sig; (void)si;
    memcpy(&magic1, fp + 112 + 464, 4);
    have_xsave = magic1 == 0x46505853;
    memcpy(fp + 0, &cw, 4);               /* the fsave header's control word: folded into the image */
    memcpy(fp + 112 + 24, &mx, 4);        /* MXCSR */
    memcpy(fp + 112 + 160, &x0, 4);       /* xmm0 */
    if (!have_xsave) return;
    memcpy(fp + 112 + 464 + 8, &sw_xf, 4);   /* fpx_sw_bytes.xfeatures, low word */
    if (set_hdr) memcpy(fp + 112 + 512, &hdr_xf, 4);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    static const struct { uint32_t sw, hdr; int set_hdr; } cases[] = {
        { 3, 0, 0 }, { 7, 0, 0 }, { 1, 0, 0 }, { 2, 0, 0 }, { 5, 0, 0 }, { 0, 0, 0 },
        { 3, 1, 1 }, { 3, 2, 1 }, { 3, 0, 1 },
    };
    int pid = getpid();
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sw_xf = cases[i].sw;
        hdr_xf = cases[i].hdr;
        set_hdr = cases[i].set_hdr;
        uint32_t mx, x0, zero = 0, init = 0x1f80;
        uint16_t cw;
        long r;
        /* the signal comes at the return from kill: read the state at once */
        __asm__ volatile("movd %[z], %%xmm0\n\t"
                         "int $0x80\n\t"
                         "stmxcsr %[mx]\n\t"
                         "fnstcw %[cw]\n\t"
                         "movd %%xmm0, %[x0]\n\t"
                         "fninit\n\t"
                         "ldmxcsr %[init]"
                         : "=a"(r), [mx] "=m"(mx), [cw] "=m"(cw), [x0] "=r"(x0)
                         : "0"(SYS_kill), "b"(pid), "c"(SIGUSR1), [z] "m"(zero), [init] "m"(init)
                         : "memory");   /* no -msse: the compiler never holds anything in xmm0 */
        (void)r;
        if (!have_xsave) {
            printf("no XSAVE frame: mxcsr %#x cw %#x xmm0 %#x\n", mx, cw, x0);
            continue;
        }
        if (set_hdr) printf("sw.xfeatures %u, header %u:", cases[i].sw, cases[i].hdr);
        else printf("sw.xfeatures %u:", cases[i].sw);
        printf(" mxcsr %#x", mx);
        printf(" cw %#x xmm0 %#x\n", cw, x0);
    }
    return 0;
}
