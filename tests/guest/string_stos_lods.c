/* ue-test: variants=s2 p0 d2 */
/* STOS and LODS b/w/d, single and REP, both directions, counts 0..4099. */
#include "strop.h"

static uint8_t buf[20000];

int main(void)
{
    static const uint32_t counts[] = {0, 1, 2, 5, 64, 4099};
    for (int k = 0; k < NV(counts); k++)
        for (int back = 0; back < 2; back++) {
            uint32_t n = counts[k], fin = F_BASE | (back ? F_DF : 0);
            uint8_t *p = back ? buf + 4 * 4200 : buf + 4;
            struct sregs r;
#define T(name, code)                                                          \
    memset(buf, 0x11, sizeof buf);                                             \
    for (int i = 0; i < (int)sizeof buf; i += 3) buf[i] = (uint8_t)i;          \
    r = (struct sregs){0x89abcdef, n, (uint32_t)p, (uint32_t)p, fin};          \
    STR_RUN(code, r);                                                          \
    printf("%-10s %s n=%-4u eax=%08x ecx=%08x dsi=%+d ddi=%+d f=%03x h=%08x\n", name, back ? "std" : "cld", \
           (unsigned)n, r.a, r.c, (int)(r.s - (uint32_t)p), (int)(r.d - (uint32_t)p), r.f & F_VISIBLE, hash(buf, sizeof buf));
            T("rep stosb", "rep stosb")
            T("rep stosw", "rep stosw")
            T("rep stosl", "rep stosl")
            T("stosb", "stosb")
            T("stosw", "stosw")
            T("stosl", "stosl")
            T("rep lodsb", "rep lodsb")
            T("rep lodsw", "rep lodsw")
            T("rep lodsl", "rep lodsl")
            T("lodsb", "lodsb")
            T("lodsw", "lodsw")
            T("lodsl", "lodsl")
#undef T
        }
    return 0;
}
