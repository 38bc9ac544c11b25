/* ue-test: variants=s2 d0 */
/* MMX/SSE2 integer moves (movd, movq, movdqa, movdqu, lddqu, movq2dq,
 * movdq2q, movntq, movntdq, movnti, maskmovq, maskmovdqu), the #GP of
 * misaligned 128-bit operands, #UD encodings, operand sizes at a page end,
 * and the x87 state around MMX code and EMMS. Built without -msse: the asm
 * blocks own the SIMD registers. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct { uint8_t b[16]; } __attribute__((aligned(16))) v128;
static uint8_t buf[96] __attribute__((aligned(16)));
static uint8_t pat[32] __attribute__((aligned(16)));

static void hexn(const void *p, int n)
{
    for (int k = n - 1; k >= 0; k--) printf("%02x", ((const uint8_t *)p)[k]);
}
static void show(const char *what, const void *p, int n)
{
    printf("%s: ", what);
    hexn(p, n);
    printf("\n");
}
static void reset(void)
{
    for (int k = 0; k < 96; k++) buf[k] = 0xc0 + k;
    for (int k = 0; k < 32; k++) pat[k] = 0x11 * (k & 15) ^ (k >> 4) * 0x80;
}

static sigjmp_buf jb;
static volatile int got_sig, got_code;
static volatile uintptr_t got_addr;
static uintptr_t addr_base;   /* fault addresses print relative to this */
static void on_sig(int sig, siginfo_t *si, void *uc)
{
    got_sig = sig;
    got_code = si->si_code;
    got_addr = (uintptr_t)si->si_addr;
    siglongjmp(jb, 1);
}
#define EXPECT_SIG(what, stmt)                                                                    \
    do {                                                                                          \
        got_sig = 0;                                                                              \
        if (!sigsetjmp(jb, 1)) { stmt; }                                                          \
        if (got_sig == SIGSEGV)                                                                   \
            printf("%s: SIGSEGV code %d addr %#lx\n", what, got_code, (unsigned long)(got_addr - addr_base)); \
        else if (got_sig == SIGILL)                                                               \
            printf("%s: SIGILL code %d\n", what, got_code);                                       \
        else                                                                                      \
            printf("%s: no signal\n", what);                                                      \
    } while (0)

static void moves(void)
{
    uint32_t r;
    reset();
    /* movd: r32 and m32 to mm/xmm (zero-extended), and back */
    asm volatile("pcmpeqb %%xmm3,%%xmm3\n\tmovd %1,%%xmm3\n\tmovdqu %%xmm3,(%0)\n\t"
                 "pcmpeqb %%mm1,%%mm1\n\tmovd %1,%%mm1\n\tmovq %%mm1,16(%0)\n\t"
                 "pcmpeqb %%xmm4,%%xmm4\n\tmovd 4(%2),%%xmm4\n\tmovdqu %%xmm4,24(%0)\n\t"
                 "pcmpeqb %%mm6,%%mm6\n\tmovd 8(%2),%%mm6\n\tmovq %%mm6,40(%0)\n\temms"
                 ::"r"(buf), "r"(0x89abcdefu), "r"(pat) : "memory");
    show("movd in", buf, 48);
    reset();
    asm volatile("movdqu (%2),%%xmm5\n\tmovd %%xmm5,%0\n\tmovd %%xmm5,3(%1)\n\t"
                 "movq 8(%2),%%mm7\n\tmovd %%mm7,12(%1)\n\temms"
                 : "=&r"(r) : "r"(buf), "r"(pat) : "memory");
    printf("movd out: %08x ", r);
    hexn(buf, 16);
    asm volatile("movq 8(%1),%%mm2\n\tmovd %%mm2,%0\n\temms" : "=r"(r) : "r"(pat) : "memory");
    printf(" %08x\n", r);
    /* movq */
    reset();
    asm volatile("pcmpeqb %%xmm0,%%xmm0\n\tmovq 1(%1),%%xmm0\n\tmovdqu %%xmm0,(%0)\n\t"
                 "movdqu (%1),%%xmm6\n\tpcmpeqb %%xmm2,%%xmm2\n\tmovq %%xmm6,%%xmm2\n\tmovdqu %%xmm2,16(%0)\n\t"
                 "movdqu 16(%1),%%xmm7\n\tmovq %%xmm7,33(%0)\n\t"
                 "movdqu (%1),%%xmm1\n\tpcmpeqb %%xmm5,%%xmm5\n\t.byte 0x66,0x0f,0xd6,0xcd\n\t" /* movq xmm1,xmm5 (store form) */
                 "movdqu %%xmm5,48(%0)\n\t"
                 "movq 3(%1),%%mm0\n\tmovq %%mm0,%%mm4\n\tmovq %%mm4,64(%0)\n\t"
                 ".byte 0x0f,0x7f,0xe5\n\tmovq %%mm5,72(%0)\n\t"    /* movq mm5,mm4 (store form) */
                 "movq %%mm0,81(%0)\n\temms"
                 ::"r"(buf), "r"(pat) : "memory");
    show("movq", buf, 96);
    /* movdqa / movdqu / lddqu / movq2dq / movdq2q */
    reset();
    asm volatile("movdqa (%1),%%xmm0\n\tmovdqa %%xmm0,%%xmm7\n\tmovdqa %%xmm7,(%0)\n\t"
                 "movdqu 5(%1),%%xmm1\n\tmovdqu %%xmm1,%%xmm6\n\tmovdqu %%xmm6,17(%0)\n\t"
                 "lddqu 9(%1),%%xmm2\n\tmovdqu %%xmm2,33(%0)\n\t"
                 ".byte 0x66,0x0f,0x7f,0xc3\n\t.byte 0xf3,0x0f,0x7f,0xdc\n\tmovdqa %%xmm4,48(%0)\n\t" /* store forms, reg */
                 "movq 16(%1),%%mm3\n\tpcmpeqb %%xmm5,%%xmm5\n\tmovq2dq %%mm3,%%xmm5\n\tmovdqu %%xmm5,64(%0)\n\t"
                 "movdqu 2(%1),%%xmm6\n\tmovdq2q %%xmm6,%%mm2\n\tmovq %%mm2,80(%0)\n\temms"
                 ::"r"(buf), "r"(pat) : "memory");
    show("movdq", buf, 96);
    /* non-temporal stores */
    reset();
    asm volatile("movdqu (%1),%%xmm3\n\tmovntdq %%xmm3,16(%0)\n\tmovq 8(%1),%%mm1\n\tmovntq %%mm1,3(%0)\n\t"
                 "movnti %2,37(%0)\n\temms\n\tsfence"
                 ::"r"(buf), "r"(pat), "r"(0x13572468u) : "memory");
    show("movnt", buf, 48);
    /* masked stores to DS:EDI */
    reset();
    uint8_t *dp = buf + 3;
    asm volatile("movdqu (%1),%%xmm2\n\tmovdqu 16(%1),%%xmm3\n\tmaskmovdqu %%xmm3,%%xmm2\n\t"
                 "movq 8(%1),%%mm4\n\tmovq (%1),%%mm0\n\tleal 33(%%edi),%%edi\n\tmaskmovq %%mm4,%%mm0\n\temms"
                 : "+D"(dp) : "r"(pat) : "memory");
    show("maskmov", buf, 64);
}

static void faults(void)
{
    reset();
    EXPECT_SIG("movdqa load misaligned", asm volatile("movdqa 1(%0),%%xmm0" ::"r"(buf)));
    EXPECT_SIG("movdqa load aligned", asm volatile("movdqa 16(%0),%%xmm0" ::"r"(buf)));
    EXPECT_SIG("movdqa store misaligned", asm volatile("movdqa %%xmm0,8(%0)" ::"r"(buf) : "memory"));
    EXPECT_SIG("movntdq misaligned", asm volatile("movntdq %%xmm0,4(%0)" ::"r"(buf) : "memory"));
    EXPECT_SIG("paddb m128 misaligned", asm volatile("paddb 2(%0),%%xmm0" ::"r"(buf)));
    EXPECT_SIG("psrlw m128 misaligned", asm volatile("psrlw 8(%0),%%xmm1" ::"r"(buf)));
    EXPECT_SIG("pshufd m128 misaligned", asm volatile("pshufd $1,12(%0),%%xmm1" ::"r"(buf)));
    EXPECT_SIG("punpcklbw m128 misaligned", asm volatile("punpcklbw 12(%0),%%xmm1" ::"r"(buf)));
    EXPECT_SIG("pshufb m128 misaligned", asm volatile("pshufb 1(%0),%%xmm1" ::"r"(buf)));
    EXPECT_SIG("palignr m128 misaligned", asm volatile("palignr $3,1(%0),%%xmm1" ::"r"(buf)));
    EXPECT_SIG("movdqu misaligned", asm volatile("movdqu 1(%0),%%xmm0" ::"r"(buf)));
    EXPECT_SIG("lddqu misaligned", asm volatile("lddqu 3(%0),%%xmm0" ::"r"(buf)));
    EXPECT_SIG("movq m64 misaligned", asm volatile("movq 3(%0),%%xmm0" ::"r"(buf)));
    EXPECT_SIG("paddb m64 misaligned", asm volatile("paddb 3(%0),%%mm0\n\temms" ::"r"(buf)));
    EXPECT_SIG("maskmovdqu misaligned", asm volatile("pxor %%xmm0,%%xmm0\n\tmaskmovdqu %%xmm0,%%xmm0" ::"D"(buf + 1) : "memory"));
    /* the #UD encodings: memory forms of register-only instructions and back */
    EXPECT_SIG("pextrw mem", asm volatile(".byte 0x0f,0xc5,0x00,0x01" ::"a"(buf)));
    EXPECT_SIG("pmovmskb mem", asm volatile(".byte 0x66,0x0f,0xd7,0x00" ::"a"(buf)));
    EXPECT_SIG("movdq2q mem", asm volatile(".byte 0xf2,0x0f,0xd6,0x00\n\temms" ::"a"(buf)));
    EXPECT_SIG("movq2dq mem", asm volatile(".byte 0xf3,0x0f,0xd6,0x00\n\temms" ::"a"(buf)));
    EXPECT_SIG("maskmovq mem", asm volatile(".byte 0x0f,0xf7,0x00\n\temms" ::"a"(buf), "D"(buf)));
    EXPECT_SIG("psrlw imm mem", asm volatile(".byte 0x66,0x0f,0x71,0x10,0x01" ::"a"(buf)));
    EXPECT_SIG("pslldq mm", asm volatile(".byte 0x0f,0x73,0xf8,0x01\n\temms" ::"a"(buf)));
    EXPECT_SIG("psrldq mm", asm volatile(".byte 0x0f,0x73,0xd8,0x01\n\temms" ::"a"(buf)));
    EXPECT_SIG("lddqu reg", asm volatile(".byte 0xf2,0x0f,0xf0,0xc1" ::"a"(buf)));
    EXPECT_SIG("movntq reg", asm volatile(".byte 0x0f,0xe7,0xc1\n\temms" ::"a"(buf)));
    EXPECT_SIG("movntdq reg", asm volatile(".byte 0x66,0x0f,0xe7,0xc1" ::"a"(buf)));
    EXPECT_SIG("movnti reg", asm volatile(".byte 0x0f,0xc3,0xc1" ::"a"(buf)));
    EXPECT_SIG("punpcklqdq mm", asm volatile(".byte 0x0f,0x6c,0xc1\n\temms" ::"a"(buf)));

    /* operand sizes at the end of a page followed by an inaccessible one */
    long pg = sysconf(_SC_PAGESIZE);
    uint8_t *m = mmap(0, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(m + pg, pg, PROT_NONE);
    uint8_t *end = m + pg;
    addr_base = (uintptr_t)end;
    memset(m, 0x5a, pg);
    uint64_t out = 0;
    EXPECT_SIG("punpcklbw mm,m32 at page end",
               asm volatile("pxor %%mm1,%%mm1\n\tpunpcklbw -4(%0),%%mm1\n\tmovq %%mm1,(%1)\n\temms" ::"r"(end), "r"(&out) : "memory"));
    printf("  result %016llx\n", (unsigned long long)out);
    EXPECT_SIG("movd xmm,m32 at page end", asm volatile("movd -4(%0),%%xmm1" ::"r"(end)));
    EXPECT_SIG("movq xmm,m64 at page end", asm volatile("movq -8(%0),%%xmm1" ::"r"(end)));
    EXPECT_SIG("pinsrw m16 at page end", asm volatile("pinsrw $2,-2(%0),%%xmm1" ::"r"(end)));
    EXPECT_SIG("movnti at page end", asm volatile("movnti %%eax,-4(%0)" ::"r"(end), "a"(1) : "memory"));
    EXPECT_SIG("movdqu across page end", asm volatile("movdqu -8(%0),%%xmm1" ::"r"(end)));
    addr_base = 0;
    munmap(m, 2 * pg);
}

static void x87_after_mmx(void)
{
    uint8_t env[28];
    uint16_t sw, tw;
    asm volatile("fninit\n\tfld1\n\tfldpi\n\tmovq (%0),%%mm0\n\tmovq %%mm0,%%mm1\n\tpaddb %%mm0,%%mm1\n\t"
                 "movq %%mm1,%%mm2\n\tmovq %%mm1,%%mm3\n\tmovq %%mm1,%%mm4\n\tmovq %%mm1,%%mm5\n\t"
                 "movq %%mm1,%%mm6\n\tmovq %%mm1,%%mm7\n\tfnstenv (%1)"
                 ::"r"(pat), "r"(env) : "memory", "st", "st(1)");
    memcpy(&sw, env + 4, 2);
    memcpy(&tw, env + 8, 2);
    printf("after mmx: top %d tw %04x\n", (sw >> 11) & 7, tw);
    long double st0;
    asm volatile("fstpt (%0)" ::"r"(&st0) : "memory");
    printf("st0 bits: ");
    hexn(&st0, 10);
    printf("\n");
    asm volatile("emms\n\tfnstenv (%0)" ::"r"(env) : "memory");
    memcpy(&sw, env + 4, 2);
    memcpy(&tw, env + 8, 2);
    printf("after emms: top %d tw %04x\n", (sw >> 11) & 7, tw);
    volatile long double a = 2.0L, b = 3.0L;
    long double r = a / b;
    for (int k = 0; k < 5; k++) r = r * r + a / (b + k);
    printf("x87 after emms: %.18Lg\n", r);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sig;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, 0);
    sigaction(SIGILL, &sa, 0);
    moves();
    faults();
    x87_after_mmx();
    return 0;
}
