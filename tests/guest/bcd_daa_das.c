/* ue-test: variants=s2 p0 */
/* DAA and DAS for every AL with every CF/AF input (OF is undefined). */
#include "x86t.h"

int main(void)
{
    for (uint32_t al = 0; al < 256; al++)
        for (int cfaf = 0; cfaf < 4; cfaf++) {
            uint32_t fin = F_BASE | (cfaf & 1 ? F_CF : 0) | (cfaf & 2 ? F_AF : 0);
            uint32_t a = 0x12345600u | al, c = 0, d = 0, f;
            X86_RUN_A("daa", fin, a, c, d, f);
            printf("daa al=%02x cf=%d af=%d -> %08x f=%03x", al, cfaf & 1, cfaf >> 1, a, f & F_VISIBLE & ~F_OF);
            a = 0x12345600u | al;
            X86_RUN_A("das", fin, a, c, d, f);
            printf("  das -> %08x f=%03x\n", a, f & F_VISIBLE & ~F_OF);
        }
    return 0;
}
