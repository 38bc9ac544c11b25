/* ue-test: variants=s2 p0 */
/* SHLD and SHRD (0F A4 A5 AC AD), 16 and 32 bits, by CL and by immediate,
 * register and memory destinations.  Counts above 16 on 16-bit operands give
 * an undefined result and are skipped; OF only for 1; AF never; count 0 (masked)
 * leaves every flag. */
#include "x86t.h"

static uint32_t cell[3];
static const uint32_t srcs[] = {0, 0xffffffff, 0x80000001, 0x12345678};

static uint32_t defined_flags(int w, unsigned count)
{
    unsigned mc = count & 31;
    if (mc == 0)
        return F_STATUS;
    uint32_t m = F_CF | F_SF | F_ZF | F_PF;
    if (mc == 1)
        m |= F_OF;
    return m;
}

#define SHOW(name, w, a, s, cnt, fin, r, f)                                    \
    printf("%s%d a=%08x s=%08x n=%-2u fi=%03x -> %08x f=%03x\n", name, w, a, s, cnt, fin, r, \
           (f) & (defined_flags(w, cnt) | 0x702u))

/* Register forms: destination EDX, source EAX, count CL.  Memory forms:
 * destination [EAX], source EDX. */
#define COUNT(cnt)                                                             \
    for (int w = 16; w <= 32; w *= 2) {                                        \
        if (w == 16 && (cnt & 31) > 16) continue;                              \
        int n;                                                                 \
        const uint32_t *v = vals_for(w, &n);                                   \
        uint32_t hi = w == 16 ? 0xa5a50000u : 0;                               \
        for (int i = 0; i < n; i++)                                            \
            for (int s = 0; s < NV(srcs); s++)                                 \
                for (int k = 0; k < NFLAGS_IN; k++) {                          \
                    uint32_t fin = flags_in[k], a, c, d, f, src = srcs[s];     \
                    /* shld edx, eax, cl / imm : 0F A5 /r with reg=eax rm=edx -> c2 */ \
                    a = src; c = cnt; d = hi | v[i];                           \
                    if (w == 16) X86_RUN_A(".byte 0x66, 0x0f, 0xa5, 0xc2", fin, a, c, d, f); \
                    else X86_RUN_A(".byte 0x0f, 0xa5, 0xc2", fin, a, c, d, f);  \
                    SHOW("shld-cl", w, v[i], src, cnt, fin, d, f);             \
                    a = src; c = cnt; d = hi | v[i];                           \
                    if (w == 16) X86_RUN_A(".byte 0x66, 0x0f, 0xad, 0xc2", fin, a, c, d, f); \
                    else X86_RUN_A(".byte 0x0f, 0xad, 0xc2", fin, a, c, d, f);  \
                    SHOW("shrd-cl", w, v[i], src, cnt, fin, d, f);             \
                    a = src; c = 0; d = hi | v[i];                             \
                    if (w == 16) X86_RUN_A(".byte 0x66, 0x0f, 0xa4, 0xc2, " #cnt, fin, a, c, d, f); \
                    else X86_RUN_A(".byte 0x0f, 0xa4, 0xc2, " #cnt, fin, a, c, d, f); \
                    SHOW("shld-i", w, v[i], src, cnt, fin, d, f);              \
                    a = src; c = 0; d = hi | v[i];                             \
                    if (w == 16) X86_RUN_A(".byte 0x66, 0x0f, 0xac, 0xc2, " #cnt, fin, a, c, d, f); \
                    else X86_RUN_A(".byte 0x0f, 0xac, 0xc2, " #cnt, fin, a, c, d, f); \
                    SHOW("shrd-i", w, v[i], src, cnt, fin, d, f);              \
                    /* memory destination [eax], source edx (reg=2 rm=0 -> 10) */ \
                    uint32_t *p = &cell[1];                                    \
                    cell[1] = hi | v[i]; c = cnt; d = src;                     \
                    if (w == 16) X86_RUN(".byte 0x66, 0x0f, 0xa5, 0x10", fin, c, d, p, f); \
                    else X86_RUN(".byte 0x0f, 0xa5, 0x10", fin, c, d, p, f);    \
                    SHOW("shld-m", w, v[i], src, cnt, fin, cell[1], f);        \
                    cell[1] = hi | v[i]; c = 0; d = src;                       \
                    if (w == 16) X86_RUN(".byte 0x66, 0x0f, 0xac, 0x10, " #cnt, fin, c, d, p, f); \
                    else X86_RUN(".byte 0x0f, 0xac, 0x10, " #cnt, fin, c, d, p, f); \
                    SHOW("shrd-mi", w, v[i], src, cnt, fin, cell[1], f);       \
                }                                                              \
    }

int main(void)
{
    COUNT(0) COUNT(1) COUNT(2) COUNT(7) COUNT(8) COUNT(15) COUNT(16) COUNT(17) COUNT(31) COUNT(32) COUNT(33)
    return 0;
}
