/* ue-test: variants=s2 p0 d2 */
/* The 16 conditions: SETcc, Jcc (short and near), CMOVcc (16/32 bits, register
 * and memory) over all 64 combinations of CF PF AF ZF SF OF. */
#include "x86t.h"

static uint32_t cell[2] = {0x11223344, 0};

static uint32_t combo(int i)
{
    static const uint32_t bits[6] = {F_CF, F_PF, F_AF, F_ZF, F_SF, F_OF};
    uint32_t f = F_BASE;
    for (int b = 0; b < 6; b++)
        if (i >> b & 1)
            f |= bits[b];
    return f;
}

#define CC_LIST(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)

int main(void)
{
    for (int i = 0; i < 64; i++) {
        uint32_t fin = combo(i);
        printf("flags %03x:", fin);
#define SET(cc)                                                                \
        {                                                                      \
            uint32_t a = (uint32_t)cell, c = 0xa5a5a5a5u, d = 0, f;            \
            X86_RUN_A(".byte 0x0f, 0x90+" #cc ", 0xc1", fin, a, c, d, f);      \
            printf(" s%x=%08x", cc, c);                                        \
            X86_RUN_A(".byte 0x0f, 0x90+" #cc ", 0x00", fin, a, c, d, f);      \
            printf("/%08x", cell[0]);                                          \
            cell[0] = 0x11223344;                                              \
            if (f != fin) printf("!");                                         \
        }
        CC_LIST(SET)
        printf("\n");
#define JCC(cc)                                                                \
        {                                                                      \
            uint32_t a = 0, c = 1, d = 1, f;                                   \
            X86_RUN_A("mov $1, %%ecx\n\t.byte 0x70+" #cc ", 2\n\txor %%ecx, %%ecx\n\t" \
                      "mov $1, %%edx\n\t.byte 0x0f, 0x80+" #cc "\n\t.long 2\n\txor %%edx, %%edx", \
                      fin, a, c, d, f);                                        \
            printf(" j%x=%u%u", cc, c, d);                                     \
        }
        printf("flags %03x:", fin);
        CC_LIST(JCC)
        printf("\n");
#define CMOV(cc)                                                               \
        {                                                                      \
            uint32_t a = (uint32_t)cell, c = 0xa5a5a5a5u, d = 0x5a5a5a5au, f;  \
            X86_RUN_A(".byte 0x0f, 0x40+" #cc ", 0xca", fin, a, c, d, f);      \
            printf(" c%x=%08x", cc, c);                                        \
            c = 0xa5a5a5a5u;                                                   \
            X86_RUN_A(".byte 0x66, 0x0f, 0x40+" #cc ", 0xca", fin, a, c, d, f); \
            printf("/%08x", c);                                                \
            c = 0xa5a5a5a5u;                                                   \
            X86_RUN_A(".byte 0x0f, 0x40+" #cc ", 0x08", fin, a, c, d, f);      \
            printf("/%08x", c);                                                \
        }
        printf("flags %03x:", fin);
        CC_LIST(CMOV)
        printf("\n");
    }
    return 0;
}
