/* ue-test: variants=s2 p0 */
/* AAM and AAD with base 10 and other immediates (16, 7, 1, 255) for every AL
 * (and a few AH for AAD); SF ZF PF are defined, OF AF CF are not. */
#include "x86t.h"

#define FM (F_SF | F_ZF | F_PF | 0x702u)

int main(void)
{
    for (uint32_t al = 0; al < 256; al++) {
        uint32_t a, c = 0, d = 0, f;
#define M(imm)                                                                 \
    a = 0x12345600u | al; X86_RUN_A(".byte 0xd4, " #imm, F_BASE, a, c, d, f);  \
    printf(" aam%s=%08x/%03x", #imm, a, f & FM);
        printf("al=%02x", al);
        M(10) M(16) M(7) M(1) M(255)
#undef M
        printf("\n");
    }
    static const uint32_t ahs[] = {0x00, 0x01, 0x09, 0x10, 0x99, 0xff};
    for (int h = 0; h < NV(ahs); h++)
        for (uint32_t al = 0; al < 256; al += 3) {
            uint32_t a, c = 0, d = 0, f;
#define D(imm)                                                                 \
    a = 0x12340000u | ahs[h] << 8 | al; X86_RUN_A(".byte 0xd5, " #imm, F_BASE, a, c, d, f); \
    printf(" aad%s=%08x/%03x", #imm, a, f & FM);
            printf("ax=%04x", ahs[h] << 8 | al);
            D(10) D(16) D(7) D(0) D(255)
#undef D
            printf("\n");
        }
    return 0;
}
