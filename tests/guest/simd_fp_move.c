/* ue-test: variants=s2 d0 p2; cflags=-msse3 */
/* SSE/SSE2/SSE3 floating-point data movement: movups/movaps/movss/movsd
 * (load zeroing vs register merge, both register encodings), movlps/movhps/
 * movlpd/movhpd/movhlps/movlhps, movnt*, movmsk*, and/andn/or/xor, unpck*,
 * shufps/shufpd (every imm8), movsldup/movshdup/movddup, cmp with imm8
 * above 7; registers and memory, NaN payloads passing through untouched and
 * MXCSR unchanged. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef union {
    uint32_t u[4];
    uint64_t q[2];
} __attribute__((aligned(16))) v128;

static v128 A = {{0x7f800001, 0xffc12345, 0x00000001, 0x80000000}};
static v128 B = {{0x3f800000, 0xbf800000, 0x7fa00000, 0xff800000}};
static v128 M[3] __attribute__((aligned(16)));   /* memory operands / destinations */

static void show(const char *name, const v128 *x, const v128 *y)
{
    uint32_t csr;
    __asm__ volatile("stmxcsr %0" : "=m"(csr));
    printf("%-24s %08x %08x %08x %08x | %08x %08x %08x %08x | %08x %08x %08x %08x mx %04x\n", name, x->u[0],
           x->u[1], x->u[2], x->u[3], y->u[0], y->u[1], y->u[2], y->u[3], M[0].u[0], M[0].u[1], M[0].u[2],
           M[0].u[3], csr);
}

/* xmm0 = A, xmm1 = B, M[0] = B, M[1] = A; run insn; print xmm0, xmm1, M[0] */
#define RUN(name, insn)                                                                     \
    do {                                                                                    \
        v128 x, y;                                                                          \
        M[0] = B;                                                                           \
        M[1] = A;                                                                           \
        __asm__ volatile("movaps %2, %%xmm0\n\tmovaps %3, %%xmm1\n\t" insn                  \
                         "\n\tmovups %%xmm0, %0\n\tmovups %%xmm1, %1"                        \
                         : "=m"(x), "=m"(y) : "m"(A), "m"(B), "a"(&M[0]), "c"((char *)&M[0] + 4) \
                         : "xmm0", "xmm1", "memory");                                        \
        show(name, &x, &y);                                                                 \
    } while (0)

int main(void)
{
    uint32_t z = 0x1f80;
    __asm__ volatile("ldmxcsr %0" : : "m"(z));
    RUN("none", "");
    RUN("movups load", "movups (%%ecx), %%xmm0");
    RUN("movupd load", "movupd (%%ecx), %%xmm0");
    RUN("movups store", "movups %%xmm1, (%%ecx)");
    RUN("movupd store", "movupd %%xmm0, (%%ecx)");
    RUN("movups reg 11", ".byte 0x0f,0x11,0xc8");   /* movups xmm1, xmm0 (store form) */
    RUN("movaps load", "movaps (%%eax), %%xmm0");
    RUN("movapd load", "movapd (%%eax), %%xmm0");
    RUN("movaps store", "movaps %%xmm0, (%%eax)");
    RUN("movapd reg 29", ".byte 0x66,0x0f,0x29,0xc8");
    RUN("movaps reg", "movaps %%xmm1, %%xmm0");
    RUN("movntps", "movntps %%xmm0, (%%eax)");
    RUN("movntpd", "movntpd %%xmm0, (%%eax)\n\tsfence");
    RUN("movss load", "movss (%%ecx), %%xmm0");
    RUN("movsd load", "movsd (%%ecx), %%xmm0");
    RUN("movss reg", "movss %%xmm1, %%xmm0");
    RUN("movsd reg", "movsd %%xmm1, %%xmm0");
    RUN("movss reg 11", ".byte 0xf3,0x0f,0x11,0xc8");   /* movss xmm0 -> xmm1 */
    RUN("movsd reg 11", ".byte 0xf2,0x0f,0x11,0xc8");
    RUN("movss store", "movss %%xmm0, (%%ecx)");
    RUN("movsd store", "movsd %%xmm0, (%%ecx)");
    RUN("movlps load", "movlps (%%ecx), %%xmm0");
    RUN("movlpd load", "movlpd (%%ecx), %%xmm0");
    RUN("movhps load", "movhps (%%ecx), %%xmm0");
    RUN("movhpd load", "movhpd (%%ecx), %%xmm0");
    RUN("movlps store", "movlps %%xmm0, (%%ecx)");
    RUN("movlpd store", "movlpd %%xmm0, (%%ecx)");
    RUN("movhps store", "movhps %%xmm0, (%%ecx)");
    RUN("movhpd store", "movhpd %%xmm0, (%%ecx)");
    RUN("movhlps", "movhlps %%xmm1, %%xmm0");
    RUN("movlhps", "movlhps %%xmm1, %%xmm0");
    RUN("movhlps same", "movhlps %%xmm0, %%xmm0");
    RUN("movsldup reg", "movsldup %%xmm1, %%xmm0");
    RUN("movshdup reg", "movshdup %%xmm1, %%xmm0");
    RUN("movddup reg", "movddup %%xmm1, %%xmm0");
    RUN("movsldup mem", "movsldup (%%eax), %%xmm0");
    RUN("movshdup mem", "movshdup 16(%%eax), %%xmm0");
    RUN("movddup mem", "movddup (%%ecx), %%xmm0");
    RUN("andps", "andps %%xmm1, %%xmm0");
    RUN("andnps", "andnps %%xmm1, %%xmm0");
    RUN("orps", "orps %%xmm1, %%xmm0");
    RUN("xorps", "xorps %%xmm1, %%xmm0");
    RUN("andpd mem", "andpd (%%eax), %%xmm0");
    RUN("andnpd mem", "andnpd 16(%%eax), %%xmm1");
    RUN("orpd mem", "orpd (%%eax), %%xmm0");
    RUN("xorpd mem", "xorpd (%%eax), %%xmm0");
    RUN("xorps self", "xorps %%xmm0, %%xmm0");
    RUN("unpcklps", "unpcklps %%xmm1, %%xmm0");
    RUN("unpckhps", "unpckhps %%xmm1, %%xmm0");
    RUN("unpcklpd", "unpcklpd %%xmm1, %%xmm0");
    RUN("unpckhpd", "unpckhpd %%xmm1, %%xmm0");
    RUN("unpcklps mem", "unpcklps 16(%%eax), %%xmm0");
    RUN("unpckhpd mem", "unpckhpd 16(%%eax), %%xmm1");
    RUN("unpckhps self", "unpckhps %%xmm0, %%xmm0");
    RUN("shufps 1b", "shufps $0x1b, %%xmm1, %%xmm0");
    RUN("shufps e4 mem", "shufps $0xe4, 16(%%eax), %%xmm0");
    RUN("shufps self 39", "shufps $0x39, %%xmm0, %%xmm0");
    RUN("shufpd 0", "shufpd $0, %%xmm1, %%xmm0");
    RUN("shufpd 3", "shufpd $3, %%xmm1, %%xmm0");
    RUN("shufpd 2 mem", "shufpd $2, 16(%%eax), %%xmm0");
    RUN("shufpd fd", "shufpd $0xfd, %%xmm1, %%xmm0");
    RUN("cmpps imm 0x0c", ".byte 0x0f,0xc2,0xc1,0x0c");
    RUN("cmpsd imm 0xf9", ".byte 0xf2,0x0f,0xc2,0xc1,0xf9");
    RUN("cmppd imm 0x13", ".byte 0x66,0x0f,0xc2,0xc1,0x13");
    RUN("cmpss mem imm 0x86", ".byte 0xf3,0x0f,0xc2,0x00,0x86");

    /* every shufps/shufpd imm8 */
    for (int imm = 0; imm < 256; imm += 16) {
        printf("shuf imm %02x..:", imm);
        for (int k = imm; k < imm + 16; k++) {
            v128 x;
            uint32_t h = 0;
#define SH(K) case K: __asm__ volatile("movaps %1, %%xmm0\n\tshufps $" #K ", %2, %%xmm0\n\tmovups %%xmm0, %0" \
                                    : "=m"(x) : "m"(A), "m"(B) : "xmm0"); break;
#define SH4(K) SH(K) SH(K + 1) SH(K + 2) SH(K + 3)
#define SH16(K) SH4(K) SH4(K + 4) SH4(K + 8) SH4(K + 12)
            switch (k) {
                SH16(0) SH16(16) SH16(32) SH16(48) SH16(64) SH16(80) SH16(96) SH16(112)
                SH16(128) SH16(144) SH16(160) SH16(176) SH16(192) SH16(208) SH16(224) SH16(240)
            }
            for (int l = 0; l < 4; l++) h = h * 31 + x.u[l];
            printf(" %08x", h);
        }
        printf("\n");
    }

    /* movmskps/movmskpd */
    static const uint32_t pats[][4] = {{0, 0, 0, 0}, {0x80000000, 0, 0, 0}, {0, 0xffffffff, 0, 0x80000000},
                                       {0x7fffffff, 0x80000001, 0xffc00000, 1}, {~0u, ~0u, ~0u, ~0u}};
    for (int k = 0; k < 5; k++) {
        uint32_t ps, pd;
        __asm__ volatile("movups %2, %%xmm3\n\tmovl $-1, %0\n\tmovmskps %%xmm3, %0\n\tmovmskpd %%xmm3, %1"
                         : "=&r"(ps), "=r"(pd) : "m"(pats[k]) : "xmm3");
        printf("movmsk %08x %08x %08x %08x: ps %x pd %x\n", pats[k][0], pats[k][1], pats[k][2], pats[k][3], ps, pd);
    }
    /* fences and clflush leave everything alone */
    __asm__ volatile("lfence\n\tmfence\n\tsfence\n\tclflush (%0)\n\tclflush 63(%0)" : : "r"(M) : "memory");
    show("after fences", &A, &B);
    return 0;
}
