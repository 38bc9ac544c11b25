/* ue-test: variants=s2 p0 */
/* BSF and BSR, 16 and 32 bits, register and memory sources.  ZF tells whether
 * the source was zero; the destination is printed only for a non-zero source
 * (left undefined otherwise).  Also BSWAP of every register. */
#include "x86t.h"

static uint32_t cell[2];

int main(void)
{
    for (int i = 0; i < 64; i++) {
        uint32_t src = i < 33 ? (i == 32 ? 0 : 1u << i) : 0x9e3779b9u * i >> (i & 31);
        uint32_t src16 = src & 0xffff;
        for (int k = 0; k < NFLAGS_IN; k++) {
            uint32_t fin = flags_in[k], a = 0, c, d, f;
#define B(name, code, s, w)                                                    \
    c = 0x5a5a5a5a; d = s; a = (uint32_t)cell; cell[0] = s;                   \
    X86_RUN_A(code, fin, a, c, d, f);                                          \
    if (s) printf("%s%d %08x -> %08x zf=%d\n", name, w, s, c, !!(f & F_ZF));   \
    else printf("%s%d %08x -> zf=%d\n", name, w, s, !!(f & F_ZF));
            /* reg=ecx rm=edx: ca ; reg=ecx rm=[eax]: 08 */
            B("bsf", ".byte 0x0f, 0xbc, 0xca", src, 32)
            B("bsr", ".byte 0x0f, 0xbd, 0xca", src, 32)
            B("bsf-m", ".byte 0x0f, 0xbc, 0x08", src, 32)
            B("bsr-m", ".byte 0x0f, 0xbd, 0x08", src, 32)
            B("bsf", ".byte 0x66, 0x0f, 0xbc, 0xca", src16, 16)
            B("bsr", ".byte 0x66, 0x0f, 0xbd, 0xca", src16, 16)
#undef B
        }
    }
    uint32_t x = 0x01020304;
    asm volatile("bswap %0" : "+a"(x)); printf("bswap eax %08x\n", x);
    asm volatile("bswap %0" : "+b"(x)); printf("bswap ebx %08x\n", x);
    asm volatile("bswap %0" : "+c"(x)); printf("bswap ecx %08x\n", x);
    asm volatile("bswap %0" : "+d"(x)); printf("bswap edx %08x\n", x);
    asm volatile("bswap %0" : "+S"(x)); printf("bswap esi %08x\n", x);
    asm volatile("bswap %0" : "+D"(x)); printf("bswap edi %08x\n", x);
    asm volatile("push %%ebp\n\tmov %0, %%ebp\n\tbswap %%ebp\n\tmov %%ebp, %0\n\tpop %%ebp" : "+a"(x));
    printf("bswap ebp %08x\n", x);
    return 0;
}
