/* ue-test: variants=s2 d0 p2; cflags=-msse3 */
/* Faults of SSE floating-point instructions: misaligned 128-bit operands of
 * the aligned forms (#GP: SIGSEGV, SI_KERNEL, address 0) against the forms
 * that take any address; a load crossing into an unmapped page; undefined
 * register/memory encodings (SIGILL); unmasked exceptions (SIGFPE with
 * si_code by exception, MXCSR and the untouched destination in the signal
 * frame, and the instruction re-run after the handler masks it). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf jb;
static volatile int resume_fpe;
static uintptr_t rel_base;   /* fault addresses are printed relative to it */
static void *fix_page;       /* SIGSEGV: make this page writable and return */

static void on_signal(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs;
    uint32_t mx, x1[4];
    uint16_t magic;
    memcpy(&magic, fp + 110, 2);
    memcpy(&mx, fp + 136, 4);   /* the FXSAVE image follows the 112-byte FSAVE header */
    memcpy(x1, fp + 272 + 16, 16);
    printf("  signal %d code %#x", sig, si->si_code);
    if (sig == SIGSEGV && fix_page) {
        printf(" at +%ld, fixed\n", (long)((char *)si->si_addr - (char *)fix_page));
        mprotect(fix_page, 4096, PROT_READ | PROT_WRITE);
        fix_page = NULL;
        return;
    }
    if (sig == SIGILL || sig == SIGFPE)
        printf(" addr==eip %d", si->si_addr == (void *)uc->uc_mcontext.gregs[REG_EIP]);
    else
        printf(" addr %#lx", (unsigned long)((uintptr_t)si->si_addr - (si->si_addr ? rel_base : 0)));
    printf(" trapno %d magic %04x mxcsr %04x", (int)uc->uc_mcontext.gregs[REG_TRAPNO], magic, mx);
    if (sig == SIGFPE) {
        printf(" xmm1 %08x %08x %08x %08x", x1[0], x1[1], x1[2], x1[3]);
        if (resume_fpe) {
            mx = (mx | 0x1f80) & ~0x3fu;   /* mask everything, clear the flags: the instruction re-runs */
            memcpy(fp + 136, &mx, 4);
            printf(" -> resume\n");
            return;
        }
    }
    printf("\n");
    siglongjmp(jb, 1);
}

static uint8_t buf[64] __attribute__((aligned(16)));
uint32_t mm_on = 0x21f80;   /* MXCSR with AMD's misaligned SSE mode */

/* run one instruction with EAX = p; xmm0/xmm1 preloaded from buf */
#define TRY(name, insn, p)                                                         \
    do {                                                                           \
        printf("%s:\n", name);                                                     \
        if (!sigsetjmp(jb, 1)) {                                                   \
            uint32_t r_ = 0;                                                       \
            __asm__ volatile("movups buf, %%xmm0\n\tmovups buf+16, %%xmm1\n\t" insn \
                             : "+a"(r_) : "c"(p) : "memory", "xmm0", "xmm1");        \
            printf("  ok\n");                                                      \
        }                                                                          \
    } while (0)

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    for (int k = 0; k < 64; k++) buf[k] = k;
    uint8_t *m = buf + 4;   /* misaligned */

    /* aligned forms: #GP */
    TRY("movaps load", "movaps (%%ecx), %%xmm0", m);
    TRY("movapd store", "movapd %%xmm0, (%%ecx)", m);
    TRY("movntps", "movntps %%xmm0, (%%ecx)", m);
    TRY("movntpd", "movntpd %%xmm0, (%%ecx)", m);
    TRY("addps", "addps (%%ecx), %%xmm0", m);
    TRY("mulpd", "mulpd (%%ecx), %%xmm0", m);
    TRY("andps", "andps (%%ecx), %%xmm0", m);
    TRY("xorpd", "xorpd (%%ecx), %%xmm0", m);
    TRY("cmpps", "cmpps $1, (%%ecx), %%xmm0", m);
    TRY("shufps", "shufps $1, (%%ecx), %%xmm0", m);
    TRY("unpcklps", "unpcklps (%%ecx), %%xmm0", m);
    TRY("sqrtpd", "sqrtpd (%%ecx), %%xmm0", m);
    TRY("rcpps", "rcpps (%%ecx), %%xmm0", m);
    TRY("haddps", "haddps (%%ecx), %%xmm0", m);
    TRY("addsubpd", "addsubpd (%%ecx), %%xmm0", m);
    TRY("movsldup", "movsldup (%%ecx), %%xmm0", m);
    TRY("cvtpd2ps", "cvtpd2ps (%%ecx), %%xmm0", m);
    TRY("cvtdq2ps", "cvtdq2ps (%%ecx), %%xmm0", m);
    TRY("cvttpd2dq", "cvttpd2dq (%%ecx), %%xmm0", m);
    TRY("cvtpd2pi", "cvtpd2pi (%%ecx), %%mm0\n\temms", m);
    /* any address */
    TRY("movups", "movups (%%ecx), %%xmm0\n\tmovupd %%xmm0, 1(%%ecx)", m);
    TRY("movss/movsd", "movss (%%ecx), %%xmm0\n\tmovsd 1(%%ecx), %%xmm0\n\tmovss %%xmm0, 3(%%ecx)", m);
    TRY("movlps/movhpd", "movlps (%%ecx), %%xmm0\n\tmovhpd 1(%%ecx), %%xmm0\n\tmovhps %%xmm0, 5(%%ecx)", m);
    TRY("addss/divsd", "addss (%%ecx), %%xmm0\n\tdivsd 1(%%ecx), %%xmm0", m);
    TRY("comiss", "comiss 1(%%ecx), %%xmm0", m);
    TRY("cvtps2pd/cvtdq2pd", "cvtps2pd 1(%%ecx), %%xmm0\n\tcvtdq2pd 3(%%ecx), %%xmm1", m);
    TRY("movddup", "movddup 1(%%ecx), %%xmm0", m);
    TRY("cvtss2si", "cvtss2si 1(%%ecx), %%eax", m);

    /* AMD misaligned SSE mode (MXCSR.MM, bit 17), when the host has it */
    static uint8_t fx[512] __attribute__((aligned(16)));
    __asm__ volatile("fxsave %0" : "=m"(fx));
    uint32_t mxmask;
    memcpy(&mxmask, fx + 28, 4);
    if (mxmask & 0x20000) {
        static uint32_t mm_off = 0x1f80;
        printf("MXCSR.MM set:\n");
        TRY("mm movaps load", "ldmxcsr mm_on\n\tmovaps (%%ecx), %%xmm0", m);
        TRY("mm movapd store", "ldmxcsr mm_on\n\tmovapd %%xmm0, (%%ecx)", m);
        TRY("mm movntps", "ldmxcsr mm_on\n\tmovntps %%xmm0, (%%ecx)", m);
        TRY("mm addps", "ldmxcsr mm_on\n\taddps (%%ecx), %%xmm0", m);
        TRY("mm xorpd", "ldmxcsr mm_on\n\txorpd (%%ecx), %%xmm0", m);
        TRY("mm cmpps", "ldmxcsr mm_on\n\tcmpps $1, (%%ecx), %%xmm0", m);
        TRY("mm shufpd", "ldmxcsr mm_on\n\tshufpd $1, (%%ecx), %%xmm0", m);
        TRY("mm unpckhps", "ldmxcsr mm_on\n\tunpckhps (%%ecx), %%xmm0", m);
        TRY("mm sqrtps", "ldmxcsr mm_on\n\tsqrtps (%%ecx), %%xmm0", m);
        TRY("mm hsubpd", "ldmxcsr mm_on\n\thsubpd (%%ecx), %%xmm0", m);
        TRY("mm movshdup", "ldmxcsr mm_on\n\tmovshdup (%%ecx), %%xmm0", m);
        TRY("mm cvtps2dq", "ldmxcsr mm_on\n\tcvtps2dq (%%ecx), %%xmm0", m);
        TRY("mm cvttpd2pi", "ldmxcsr mm_on\n\tcvttpd2pi (%%ecx), %%mm0\n\temms", m);
        __asm__ volatile("ldmxcsr %0" : : "m"(mm_off));
    } else {
        printf("no MXCSR.MM on this host\n");
    }

    /* crossing into an unmapped page */
    long pg = sysconf(_SC_PAGESIZE);
    uint8_t *two = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(two + pg, pg);
    rel_base = (uintptr_t)(two + pg);
    TRY("movups across", "movups -8(%%ecx), %%xmm0", two + pg);
    TRY("movups across 2", "movups -12(%%ecx), %%xmm0", two + pg);
    TRY("movsd across", "movsd -4(%%ecx), %%xmm0", two + pg);
    TRY("addsd across", "addsd -2(%%ecx), %%xmm0", two + pg);
    TRY("clflush mapped", "clflush -1(%%ecx)", two + pg);
    TRY("clflush unmapped", "clflush (%%ecx)", two + pg);
    TRY("clflushopt unmapped", "clflushopt 5(%%ecx)", two + pg);
    rel_base = 0;

    /* undefined encodings */
    TRY("movlpd reg", ".byte 0x66,0x0f,0x12,0xc1", m);
    TRY("movhps store reg", ".byte 0x0f,0x17,0xc1", m);
    TRY("movntps reg", ".byte 0x0f,0x2b,0xc1", m);
    TRY("movmskps mem", ".byte 0x0f,0x50,0x01", m);
    TRY("f3 mfence", ".byte 0xf3,0x0f,0xae,0xf0", m);
    TRY("fences", "lfence\n\tmfence\n\tsfence\n\t.byte 0x0f,0xae,0xef", m);

    /* unmasked exceptions: SIGFPE, destination (xmm1) unchanged */
    static const float one = 1.0f, zero = 0.0f, tiny = 1e-10f, small = 1e-30f, big = 3e38f, neg = -1.0f;
    static uint32_t csr, after;
    float out;
#define FPE(name, ctl, start, insn, src)                                                   \
    do {                                                                                   \
        printf("%s:\n", name);                                                             \
        if (!sigsetjmp(jb, 1)) {                                                           \
            csr = ctl;                                                                     \
            __asm__ volatile("movss %[o], %%xmm1\n\tldmxcsr %[c]\n\t" insn " %[s], %%xmm1\n\t" \
                             "stmxcsr %[a]\n\tmovss %%xmm1, %[r]"                          \
                             : [r] "=m"(out), [a] "=m"(after)                              \
                             : [c] "m"(csr), [o] "m"(start), [s] "m"(src) : "xmm1");       \
            csr = 0x1f80;                                                                  \
            __asm__ volatile("ldmxcsr %0" : : "m"(csr));                                   \
            printf("  result %a mxcsr %04x\n", out, after);                                \
        }                                                                                  \
        csr = 0x1f80;                                                                      \
        __asm__ volatile("ldmxcsr %0" : : "m"(csr));                                       \
    } while (0)
    FPE("divss by 0, ZE unmasked", 0x1d80, one, "divss", zero);
    FPE("sqrtss -1, IE unmasked", 0x1f00, one, "sqrtss", neg);
    FPE("addss inexact, PE unmasked", 0x0f80, one, "addss", tiny);
    FPE("mulss overflow, OE unmasked", 0x1b80, big, "mulss", big);
    FPE("mulss overflow, OE masked, PE unmasked", 0x0f80, big, "mulss", big);
    FPE("mulss underflow, UE unmasked", 0x1780, small, "mulss", small);
    FPE("mulss underflow, UE unmasked, FTZ", 0x9780, small, "mulss", small);
    FPE("mulss underflow, UE masked, PE unmasked, FTZ", 0x8f80, small, "mulss", small);
    FPE("maxss, all unmasked but nothing raised", 0x0000, one, "maxss", one);
    FPE("divss 0/0, IE and ZE unmasked", 0x1d00, zero, "divss", zero);
    FPE("divss 0/0, IE masked, ZE unmasked", 0x1d80, zero, "divss", zero);
    resume_fpe = 1;
    FPE("divss by 0, handler masks and returns", 0x1d80, one, "divss", zero);
    FPE("addss inexact, handler masks and returns", 0x0f80, one, "addss", tiny);
    resume_fpe = 0;

    /* the flags raised before a fault are in the signal frame: #GP and page fault */
    csr = 0x1f80;
    printf("divss by 0 then #GP:\n");
    if (!sigsetjmp(jb, 1))
        __asm__ volatile("ldmxcsr %0\n\tmovss %1, %%xmm1\n\tdivss %2, %%xmm1\n\tmovaps (%3), %%xmm0"
                         : : "m"(csr), "m"(one), "m"(zero), "r"(m) : "xmm0", "xmm1");
    rel_base = (uintptr_t)(two + pg);
    printf("addss inexact then page fault:\n");
    if (!sigsetjmp(jb, 1))
        __asm__ volatile("ldmxcsr %0\n\tmovss %1, %%xmm1\n\taddss %2, %%xmm1\n\tmovups -8(%3), %%xmm0"
                         : : "m"(csr), "m"(one), "m"(tiny), "r"(two + pg) : "xmm0", "xmm1");
    rel_base = 0;
    __asm__ volatile("stmxcsr %0" : "=m"(csr));
    printf("mxcsr after leaving the handler by siglongjmp: %04x\n", csr);

    /* a handled page fault (the handler returns) keeps the rounding mode and FTZ */
    static const float three = 3.0f, den = 1e-39f;
    uint32_t q[2];
    for (uint32_t mode = 0x1f80; mode <= 0xff80; mode += 0x2000) {
        fix_page = two;
        mprotect(two, pg, PROT_NONE);
        csr = mode | 0x8000;
        printf("mode %04x:\n", csr);
        __asm__ volatile("ldmxcsr %[c]\n\tmovss %[one], %%xmm1\n\tdivss %[three], %%xmm1\n\t"
                         "movl $1, (%[p])\n\t"                   /* the fault */
                         "movss %[one], %%xmm2\n\tdivss %[three], %%xmm2\n\tmovss %%xmm2, %[q0]\n\t"
                         "movss %[den], %%xmm2\n\tmulss %[three], %%xmm2\n\tmovss %%xmm2, %[q1]\n\t"
                         "stmxcsr %[c]"
                         : [c] "+m"(csr), [q0] "=m"(q[0]), [q1] "=m"(q[1])
                         : [one] "m"(one), [three] "m"(three), [den] "m"(den), [p] "r"(two)
                         : "xmm1", "xmm2", "memory");
        printf("  1/3 %08x  1e-39*3 %08x  mxcsr %04x\n", q[0], q[1], csr);
        csr = 0x1f80;
        __asm__ volatile("ldmxcsr %0" : : "m"(csr));
    }
    return 0;
}
