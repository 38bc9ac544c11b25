/* ue-test: variants=s2 p0 */
/* MUL and IMUL in their one-, two- and three-operand forms, 8/16/32 bits,
 * register and memory sources.  Only CF and OF are defined. */
#include "x86t.h"

#define FM (F_CF | F_OF | 0x702u)
static uint32_t cell[2];

int main(void)
{
    for (int w = 8; w <= 32; w *= 2) {
        int n;
        const uint32_t *v = vals_for(w, &n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                uint32_t a, c, d, f, x = v[i], y = v[j];
#define ONE(name, c8, c16, c32, mem)                                           \
    a = 0x5a5a0000u | x; c = y; d = mem ? (uint32_t)cell : 0x77777777u; cell[0] = y; \
    if (w == 8) X86_RUN_A(c8, F_BASE, a, c, d, f);                              \
    else if (w == 16) X86_RUN_A(c16, F_BASE, a, c, d, f);                       \
    else X86_RUN_A(c32, F_BASE, a, c, d, f);                                    \
    /* a memory form's EDX held the pointer: only the part MUL wrote is shown */ \
    printf("%s%d %08x %08x -> eax=%08x edx=%08x f=%03x\n", name, w, x, y, a,   \
           !mem ? d : w == 8 ? 0 : w == 16 ? d & 0xffff : d, f & FM);
                ONE("mul", ".byte 0xf6, 0xe1", ".byte 0x66, 0xf7, 0xe1", ".byte 0xf7, 0xe1", 0);
                ONE("imul1", ".byte 0xf6, 0xe9", ".byte 0x66, 0xf7, 0xe9", ".byte 0xf7, 0xe9", 0);
                ONE("mul-m", ".byte 0xf6, 0x22", ".byte 0x66, 0xf7, 0x22", ".byte 0xf7, 0x22", 1);
                ONE("imul1-m", ".byte 0xf6, 0x2a", ".byte 0x66, 0xf7, 0x2a", ".byte 0xf7, 0x2a", 1);
#undef ONE
                if (w == 8)
                    continue;
                /* imul ecx, edx (0F AF) and from memory */
                a = 0; c = 0xa5a50000u | x; d = y;
                if (w == 16) X86_RUN_A(".byte 0x66, 0x0f, 0xaf, 0xca", F_BASE, a, c, d, f);
                else X86_RUN_A(".byte 0x0f, 0xaf, 0xca", F_BASE, a, c, d, f);
                printf("imul2-%d %08x %08x -> %08x f=%03x\n", w, x, y, c, f & FM);
                a = (uint32_t)cell; cell[0] = y; c = 0xa5a50000u | x; d = 0;
                if (w == 16) X86_RUN_A(".byte 0x66, 0x0f, 0xaf, 0x08", F_BASE, a, c, d, f);
                else X86_RUN_A(".byte 0x0f, 0xaf, 0x08", F_BASE, a, c, d, f);
                printf("imul2m-%d %08x %08x -> %08x f=%03x\n", w, x, y, c, f & FM);
            }
        if (w == 8)
            continue;
        for (int i = 0; i < n; i++) {
            uint32_t a = 0, c, d = v[i], f;
#define THREE(code16, code32, imm)                                              \
    c = 0xa5a5a5a5u; d = v[i];                                                  \
    if (w == 16) X86_RUN_A(code16, F_BASE, a, c, d, f);                         \
    else X86_RUN_A(code32, F_BASE, a, c, d, f);                                 \
    printf("imul3-%d %08x * %s -> %08x f=%03x\n", w, v[i], #imm, c, f & FM);
            THREE(".byte 0x66, 0x6b, 0xca, 0x7f", ".byte 0x6b, 0xca, 0x7f", 127)
            THREE(".byte 0x66, 0x6b, 0xca, 0x80", ".byte 0x6b, 0xca, 0x80", -128)
            THREE(".byte 0x66, 0x6b, 0xca, 0xff", ".byte 0x6b, 0xca, 0xff", -1)
            THREE(".byte 0x66, 0x6b, 0xca, 0x00", ".byte 0x6b, 0xca, 0x00", 0)
            THREE(".byte 0x66, 0x69, 0xca; .word 0x7fff", ".byte 0x69, 0xca; .long 0x7fffffff", max)
            THREE(".byte 0x66, 0x69, 0xca; .word 0x8000", ".byte 0x69, 0xca; .long 0x80000000", min)
            THREE(".byte 0x66, 0x69, 0xca; .word 0x1234", ".byte 0x69, 0xca; .long 0x12345", big)
#undef THREE
        }
    }
    return 0;
}
