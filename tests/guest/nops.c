/* ue-test: variants=s2 p0 */
/* NOP forms: 90, 66 90, 0F 1F /0 with every ModRM length, 66 0F 1F, the long
 * multi-byte NOPs compilers pad with, PAUSE (F3 90), ENDBR32 (a NOP on CPUs
 * without CET), other hint-NOP rows, and segment-prefixed NOPs; none may
 * change registers or flags. */
#include "x86t.h"

int main(void)
{
    for (int k = 0; k < NFLAGS_IN; k++) {
        uint32_t fin = flags_in[k], a, c, d, f;
#define N(name, code)                                                          \
    a = 0x11111111; c = 0x22222222; d = 0x33333333;                            \
    X86_RUN_A(code, fin, a, c, d, f);                                          \
    printf("%-14s fi=%03x -> %08x %08x %08x f=%03x\n", name, fin, a, c, d, f & F_VISIBLE);
        N("90", ".byte 0x90")
        N("66 90", ".byte 0x66, 0x90")
        N("0f1f00", ".byte 0x0f, 0x1f, 0x00")
        N("0f1f4000", ".byte 0x0f, 0x1f, 0x40, 0x00")
        N("0f1f440000", ".byte 0x0f, 0x1f, 0x44, 0x00, 0x00")
        N("660f1f440000", ".byte 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00")
        N("0f1f80", ".byte 0x0f, 0x1f, 0x80, 0, 0, 0, 0")
        N("0f1f84", ".byte 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0")
        N("660f1f84", ".byte 0x66, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0")
        N("662e0f1f84", ".byte 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0")
        N("0f1fc0", ".byte 0x0f, 0x1f, 0xc0")
        N("pause", ".byte 0xf3, 0x90")
        N("endbr32", ".byte 0xf3, 0x0f, 0x1e, 0xfb")
        N("0f1e reg", ".byte 0x0f, 0x1e, 0xc8")
        N("0f19 reg", ".byte 0x0f, 0x19, 0xc0")
        N("xchg eax,eax", ".byte 0x87, 0xc0")
        N("lea esi", "push %%esi\n\t.byte 0x8d, 0x76, 0x00, 0x8d, 0x74, 0x26, 0x00\n\tpop %%esi")
        N("mov edi,edi", "mov %%edi, %%edi")
        N("ds nop", ".byte 0x3e, 0x90")
        N("many 66", ".byte 0x66, 0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0")
        N("jmp +0", ".byte 0xeb, 0x00")
#undef N
    }
    return 0;
}
