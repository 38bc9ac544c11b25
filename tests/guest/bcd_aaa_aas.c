/* ue-test: variants=s2 p0 */
/* AAA and AAS for every AL with every CF/AF input and a few AH values; only
 * CF and AF are defined. */
#include "x86t.h"

int main(void)
{
    static const uint32_t ahs[] = {0x00, 0x09, 0x7f, 0xff};
    for (int h = 0; h < 4; h++)
        for (uint32_t al = 0; al < 256; al++)
            for (int cfaf = 0; cfaf < 4; cfaf++) {
                uint32_t fin = F_BASE | (cfaf & 1 ? F_CF : 0) | (cfaf & 2 ? F_AF : 0);
                uint32_t a = 0x12340000u | ahs[h] << 8 | al, c = 0, d = 0, f;
                X86_RUN_A("aaa", fin, a, c, d, f);
                printf("aaa ax=%04x cf=%d af=%d -> %08x f=%03x", ahs[h] << 8 | al, cfaf & 1, cfaf >> 1, a,
                       f & (F_CF | F_AF | 0x702u));
                a = 0x12340000u | ahs[h] << 8 | al;
                X86_RUN_A("aas", fin, a, c, d, f);
                printf("  aas -> %08x f=%03x\n", a, f & (F_CF | F_AF | 0x702u));
            }
    return 0;
}
