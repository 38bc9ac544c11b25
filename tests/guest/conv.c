/* ue-test: variants=s2 p0 */
/* CBW CWDE CWD CDQ (and 16-bit CWD with 0x66), XLAT with all table offsets. */
#include "x86t.h"

int main(void)
{
    const uint32_t vals[] = {0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x12345678, 0x8000ffff, 0xffff0080, 0x7fffffff, 0x80000000};
    for (int i = 0; i < NV(vals); i++) {
        uint32_t a, c = 0, d, f;
#define C(name, code)                                                          \
    a = vals[i]; d = 0x5a5a5a5a; X86_RUN_A(code, F_BASE, a, c, d, f);          \
    printf("%-4s %08x -> eax=%08x edx=%08x f=%03x\n", name, vals[i], a, d, f & F_VISIBLE);
        C("cbw", "cbtw")
        C("cwde", "cwtl")
        C("cwd", "cwtd")
        C("cdq", "cltd")
#undef C
    }
    static uint8_t table[256];
    for (int i = 0; i < 256; i++)
        table[i] = (uint8_t)(i * 37 + 11);
    uint32_t sum = 0;
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t a = 0xabcd0000u | i;
        asm volatile("push %%ebx\n\tmov %1, %%ebx\n\txlat\n\tpop %%ebx" : "+a"(a) : "r"(table));
        sum = sum * 31 + a;
        if (i % 51 == 0)
            printf("xlat %02x -> %08x\n", i, a);
    }
    printf("xlat sum %08x\n", sum);
    return 0;
}
