/* ue-test: variants=s2 p0 */
/* XCHG (register pairs, the 90+r short forms, memory), XADD and CMPXCHG
 * (8/16/32, register and memory, equal and not equal, with and without LOCK),
 * CMPXCHG8B (equal and not equal). */
#include "x86t.h"

static uint32_t cell[3];

int main(void)
{
    const uint32_t vals[] = {0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0x12345678};
    for (int i = 0; i < NV(vals); i++)
        for (int j = 0; j < NV(vals); j++) {
            uint32_t x = vals[i], y = vals[j], a, c, d, f;
#define X(name, code, memv)                                                    \
    a = x; c = y; d = 0x5a5a5a5a; cell[1] = memv;                              \
    if (name[0] == 'm') d = (uint32_t)&cell[1];                                \
    X86_RUN_A(code, F_BASE, a, c, d, f);                                       \
    printf("%-12s %08x %08x -> eax=%08x ecx=%08x mem=%08x f=%03x\n", name, x, y, a, c, cell[1], f & F_VISIBLE);
            X("xchg-rr", "xchg %%eax, %%ecx", 0)                     /* 91 */
            X("xchg-rr2", ".byte 0x87, 0xc1", 0)                     /* 87 /r */
            X("xchg-rr16", ".byte 0x66, 0x91", 0)
            X("xchg-rr8", ".byte 0x86, 0xc1", 0)
            X("xchg-ahcl", ".byte 0x86, 0xe1", 0)                    /* ah <-> cl */
            X("mxchg32", ".byte 0x87, 0x0a", x)                      /* [edx] <-> ecx */
            X("mxchg16", ".byte 0x66, 0x87, 0x0a", x)
            X("mxchg8", ".byte 0x86, 0x2a", x)                       /* [edx] <-> ch */
            X("xadd32", ".byte 0x0f, 0xc1, 0xc8", 0)                 /* xadd eax, ecx */
            X("xadd16", ".byte 0x66, 0x0f, 0xc1, 0xc8", 0)
            X("xadd8", ".byte 0x0f, 0xc0, 0xc8", 0)
            X("mxadd32", ".byte 0x0f, 0xc1, 0x0a", x)
            X("mlxadd32", ".byte 0xf0, 0x0f, 0xc1, 0x0a", x)
            X("mxadd16", ".byte 0x66, 0x0f, 0xc1, 0x0a", x)
            X("mlxadd8", ".byte 0xf0, 0x0f, 0xc0, 0x0a", x)
            /* cmpxchg ecx, edx... here: rm = [edx] or eax-free reg: cmpxchg r/m=edx? use memory */
            X("mcmpxchg32", ".byte 0x0f, 0xb1, 0x0a", x)             /* equal: [edx]==eax */
            X("mcmpxchg32n", ".byte 0x0f, 0xb1, 0x0a", x ^ 1)
            X("mlcmpxchg32", ".byte 0xf0, 0x0f, 0xb1, 0x0a", x)
            X("mlcmpxchg32n", ".byte 0xf0, 0x0f, 0xb1, 0x0a", y)
            X("mcmpxchg16", ".byte 0x66, 0x0f, 0xb1, 0x0a", x)
            X("mcmpxchg16n", ".byte 0x66, 0x0f, 0xb1, 0x0a", y)
            X("mcmpxchg8", ".byte 0x0f, 0xb0, 0x0a", x)
            X("mcmpxchg8n", ".byte 0x0f, 0xb0, 0x0a", y)
            X("cmpxchg-rr", ".byte 0x0f, 0xb1, 0xca", 0)             /* rm=edx, reg=ecx */
#undef X
        }
    /* cmpxchg8b [esi]: compares EDX:EAX, stores ECX:EBX when equal. */
    static uint32_t m64[2];
    const uint32_t pairs[][2] = {{0, 0}, {1, 0}, {0xffffffff, 0xffffffff}, {0x12345678, 0x9abcdef0}};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            for (int lock = 0; lock < 2; lock++) {
                uint32_t a = pairs[i][0], d = pairs[i][1], f;
                m64[0] = pairs[j][0];
                m64[1] = pairs[j][1];
                if (lock)
                    asm volatile("push %%ebx\n\tmov $0xcafef00d, %%ebx\n\tmov $0x0badc0de, %%ecx\n\t"
                                 "lock cmpxchg8b (%%esi)\n\tpushf\n\tpop %%edi\n\tpop %%ebx"
                                 : "+a"(a), "+d"(d), "=D"(f) : "S"(m64) : "ecx", "memory", "cc");
                else
                    asm volatile("push %%ebx\n\tmov $0xcafef00d, %%ebx\n\tmov $0x0badc0de, %%ecx\n\t"
                                 "cmpxchg8b (%%esi)\n\tpushf\n\tpop %%edi\n\tpop %%ebx"
                                 : "+a"(a), "+d"(d), "=D"(f) : "S"(m64) : "ecx", "memory", "cc");
                printf("cmpxchg8b%s %08x:%08x vs %08x:%08x -> edx:eax=%08x:%08x mem=%08x:%08x zf=%d\n",
                       lock ? "-lock" : "", pairs[i][1], pairs[i][0], pairs[j][1], pairs[j][0], d, a,
                       m64[1], m64[0], !!(f & F_ZF));
            }
    return 0;
}
