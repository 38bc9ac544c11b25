/* ue-test: variants=s2 p0 d2 */
/* MOVS b/w/d, single and REP, forwards (CLD) and backwards (STD), counts 0 1 3 17
 * 4099, and overlapping copies where REP MOVS must behave as the element-by-
 * element loop it is (not as memmove). */
#include "strop.h"

static uint8_t buf[40000];

static void fill(void)
{
    for (int i = 0; i < (int)sizeof buf; i++)
        buf[i] = (uint8_t)(i * 7 + (i >> 8));
}

#define SHOW(name, cnt, r, s0, d0)                                             \
    printf("%-14s n=%-5u ecx=%08x dsi=%+d ddi=%+d eax=%08x f=%03x h=%08x\n", name, (unsigned)cnt, (r).c, \
           (int)((r).s - (uint32_t)(s0)), (int)((r).d - (uint32_t)(d0)), (r).a, (r).f & F_VISIBLE, hash(buf, sizeof buf))

int main(void)
{
    static const uint32_t counts[] = {0, 1, 3, 17, 4099};
    for (int k = 0; k < NV(counts); k++) {
        uint32_t n = counts[k];
        for (int back = 0; back < 2; back++) {
            uint32_t fin = F_BASE | (back ? F_DF : 0);
            uint8_t *src = back ? buf + 4 * 4200 : buf + 8;
            uint8_t *dst = back ? buf + 39000 : buf + 20008;
            struct sregs r;
#define T(name, code)                                                          \
    fill(); r = (struct sregs){0x5a5a5a5a, n, (uint32_t)src, (uint32_t)dst, fin}; \
    STR_RUN(code, r); SHOW(name, n, r, src, dst);
            T(back ? "rep movsb std" : "rep movsb", "rep movsb")
            T(back ? "rep movsw std" : "rep movsw", "rep movsw")
            T(back ? "rep movsl std" : "rep movsl", "rep movsl")
            T(back ? "movsb std" : "movsb", "movsb")
            T(back ? "movsw std" : "movsw", "movsw")
            T(back ? "movsl std" : "movsl", "movsl")
            T(back ? "o16 movsl std" : "o16 movsl", ".byte 0x66, 0xa5")
            T(back ? "repne movsb std" : "repne movsb", ".byte 0xf2, 0xa4")
#undef T
        }
    }
    /* Overlap: destination one element after the source replicates the
     * first element; destination before the source shifts down. */
    static const int shifts[] = {1, 2, 3, 4, -1, -4};
    for (int k = 0; k < NV(shifts); k++) {
        struct sregs r;
        uint8_t *src = buf + 100, *dst = buf + 100 + shifts[k];
#define O(name, code, cnt)                                                     \
        fill(); r = (struct sregs){0, cnt, (uint32_t)src, (uint32_t)dst, F_BASE}; \
        STR_RUN(code, r); SHOW(name, cnt, r, src, dst);                        \
        printf("  %02x %02x %02x %02x %02x %02x %02x %02x\n", dst[0], dst[1], dst[2], dst[3], dst[4], dst[5], dst[6], dst[7]);
        printf("shift %d\n", shifts[k]);
        O("overlap movsb", "rep movsb", 300)
        O("overlap movsw", "rep movsw", 150)
        O("overlap movsl", "rep movsl", 75)
#undef O
    }
    /* Segment override on the source (DS: explicitly, and the default). */
    {
        struct sregs r;
        fill();
        r = (struct sregs){0, 5, (uint32_t)(buf + 1), (uint32_t)(buf + 3000), F_BASE};
        STR_RUN("rep movsb %%ds:(%%esi), %%es:(%%edi)", r);
        SHOW("ds: movsb", 5, r, buf + 1, buf + 3000);
    }
    return 0;
}
