/* Template for the shift and rotate group (C0 C1 D0 D1 D2 D3 /digit).  The
 * including file defines OPNAME, OPX (the /digit) and KIND: 0 for SHL SHR SAR,
 * 1 for ROL ROR, 2 for RCL RCR.  Counts 0 1 2 7 8 9 15 16 17 31 32 33 by CL
 * and by immediate (and the by-1 form), 8/16/32 bits, register and memory.
 * Only the flags the SDM defines for that count are compared: OF only for a
 * count of 1, nothing changes for a count of 0 (masked by 31). */
#include "x86t.h"

#define STR_(x) #x
#define STR(x) STR_(x)
#define X_ STR(OPX)

static uint32_t cell[3];

static uint32_t defined_flags(int w, unsigned count)
{
    unsigned mc = count & 31;
    uint32_t m;
    if (mc == 0)
        return F_STATUS;
    if (KIND == 0) {
        m = F_SF | F_ZF | F_PF;
        if (mc < (unsigned)w)
            m |= F_CF;
    } else {
        /* Rotates leave SF ZF AF PF alone and always define CF. */
        m = F_CF | F_SF | F_ZF | F_AF | F_PF;
    }
    if (mc == 1)
        m |= F_OF;
    return m;
}

static void show(const char *form, int w, uint32_t a, unsigned count, uint32_t fin, uint32_t r, uint32_t f)
{
    printf("%s%d %-3s a=%08x n=%-2u fi=%03x -> %08x f=%03x\n", OPNAME, w, form, a, count, fin, r,
           f & (defined_flags(w, count) | 0x702u));
}

/* One count given as a constant (for the immediate forms). */
#define COUNT(cnt)                                                             \
    for (int w = 8; w <= 32; w *= 2) {                                         \
        int n;                                                                 \
        const uint32_t *v = vals_for(w, &n);                                   \
        uint32_t hi = w == 8 ? 0xa5a5a500u : w == 16 ? 0xa5a50000u : 0;       \
        for (int i = 0; i < n; i++)                                            \
            for (int k = 0; k < NFLAGS_IN; k++) {                              \
                uint32_t fin = flags_in[k], c, d, f, *p = &cell[1];            \
                /* by CL, register */                                          \
                c = 0x1100u | cnt; d = hi | v[i];                              \
                if (w == 8) X86_RUN(".byte 0xd2, 0xc2+8*" X_, fin, c, d, p, f); \
                else if (w == 16) X86_RUN(".byte 0x66, 0xd3, 0xc2+8*" X_, fin, c, d, p, f); \
                else X86_RUN(".byte 0xd3, 0xc2+8*" X_, fin, c, d, p, f);        \
                show("cl", w, v[i], cnt, fin, d, f);                           \
                /* by CL, memory */                                            \
                c = 0x1100u | cnt; d = 0; cell[1] = hi | v[i];                 \
                if (w == 8) X86_RUN(".byte 0xd2, 0x00+8*" X_, fin, c, d, p, f); \
                else if (w == 16) X86_RUN(".byte 0x66, 0xd3, 0x00+8*" X_, fin, c, d, p, f); \
                else X86_RUN(".byte 0xd3, 0x00+8*" X_, fin, c, d, p, f);        \
                show("clm", w, v[i], cnt, fin, cell[1], f);                    \
                /* by immediate, register */                                   \
                c = 0; d = hi | v[i];                                          \
                if (w == 8) X86_RUN(".byte 0xc0, 0xc2+8*" X_ ", " #cnt, fin, c, d, p, f); \
                else if (w == 16) X86_RUN(".byte 0x66, 0xc1, 0xc2+8*" X_ ", " #cnt, fin, c, d, p, f); \
                else X86_RUN(".byte 0xc1, 0xc2+8*" X_ ", " #cnt, fin, c, d, p, f); \
                show("imm", w, v[i], cnt, fin, d, f);                          \
                /* by immediate, memory */                                     \
                c = 0; d = 0; cell[1] = hi | v[i];                             \
                if (w == 8) X86_RUN(".byte 0xc0, 0x00+8*" X_ ", " #cnt, fin, c, d, p, f); \
                else if (w == 16) X86_RUN(".byte 0x66, 0xc1, 0x00+8*" X_ ", " #cnt, fin, c, d, p, f); \
                else X86_RUN(".byte 0xc1, 0x00+8*" X_ ", " #cnt, fin, c, d, p, f); \
                show("imm", w, v[i], cnt, fin, cell[1], f);                    \
                if (cnt != 1)                                                  \
                    continue;                                                  \
                c = 0; d = hi | v[i];                                          \
                if (w == 8) X86_RUN(".byte 0xd0, 0xc2+8*" X_, fin, c, d, p, f); \
                else if (w == 16) X86_RUN(".byte 0x66, 0xd1, 0xc2+8*" X_, fin, c, d, p, f); \
                else X86_RUN(".byte 0xd1, 0xc2+8*" X_, fin, c, d, p, f);        \
                show("by1", w, v[i], cnt, fin, d, f);                          \
                c = 0; d = 0; cell[1] = hi | v[i];                             \
                if (w == 8) X86_RUN(".byte 0xd0, 0x00+8*" X_, fin, c, d, p, f); \
                else if (w == 16) X86_RUN(".byte 0x66, 0xd1, 0x00+8*" X_, fin, c, d, p, f); \
                else X86_RUN(".byte 0xd1, 0x00+8*" X_, fin, c, d, p, f);        \
                show("m1", w, v[i], cnt, fin, cell[1], f);                     \
            }                                                                  \
    }

int main(void)
{
    COUNT(0) COUNT(1) COUNT(2) COUNT(7) COUNT(8) COUNT(9) COUNT(15) COUNT(16)
    COUNT(17) COUNT(31) COUNT(32) COUNT(33)
    return 0;
}
