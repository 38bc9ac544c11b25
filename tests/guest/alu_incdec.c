/* ue-test: variants=s2 p0 */
/* INC/DEC: short forms (40+r, 48+r), FE/FF forms on registers and memory, 8/16/32
 * bits; CF must be left as it was (both input states are tried). */
#include "x86t.h"

static uint32_t cell[3];

int main(void)
{
    for (int w = 8; w <= 32; w *= 2) {
        int n;
        const uint32_t *v = vals_for(w, &n);
        uint32_t hi = w == 8 ? 0xa5a5a500u : w == 16 ? 0xa5a50000u : 0;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < NFLAGS_IN; k++) {
                uint32_t fin = flags_in[k], c, d = 0, f, *p = &cell[1];
#define F(name, c8, c16, c32, mem)                                             \
    c = hi | v[i]; cell[1] = hi | v[i];                                        \
    if (w == 8) X86_RUN(c8, fin, c, d, p, f);                                  \
    else if (w == 16) X86_RUN(c16, fin, c, d, p, f);                           \
    else X86_RUN(c32, fin, c, d, p, f);                                        \
    printf("%s%d a=%08x fi=%03x -> %08x f=%03x\n", name, w, v[i], fin, mem ? cell[1] : c, f & F_VISIBLE);
                F("inc-short", "nop", ".byte 0x66, 0x41", ".byte 0x41", 0);
                F("dec-short", "nop", ".byte 0x66, 0x49", ".byte 0x49", 0);
                F("inc-reg", ".byte 0xfe, 0xc1", ".byte 0x66, 0xff, 0xc1", ".byte 0xff, 0xc1", 0);
                F("dec-reg", ".byte 0xfe, 0xc9", ".byte 0x66, 0xff, 0xc9", ".byte 0xff, 0xc9", 0);
                F("inc-mem", ".byte 0xfe, 0x00", ".byte 0x66, 0xff, 0x00", ".byte 0xff, 0x00", 1);
                F("dec-mem", ".byte 0xfe, 0x08", ".byte 0x66, 0xff, 0x08", ".byte 0xff, 0x08", 1);
#undef F
            }
    }
    return 0;
}
