/* ue-test: variants=s2 p0 */
/* NEG (all flags defined, CF = source != 0) and NOT (no flags changed), 8/16/32,
 * register and memory. */
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
                F("neg-reg", ".byte 0xf6, 0xd9", ".byte 0x66, 0xf7, 0xd9", ".byte 0xf7, 0xd9", 0);
                F("neg-mem", ".byte 0xf6, 0x18", ".byte 0x66, 0xf7, 0x18", ".byte 0xf7, 0x18", 1);
                F("not-reg", ".byte 0xf6, 0xd1", ".byte 0x66, 0xf7, 0xd1", ".byte 0xf7, 0xd1", 0);
                F("not-mem", ".byte 0xf6, 0x10", ".byte 0x66, 0xf7, 0x10", ".byte 0xf7, 0x10", 1);
#undef F
            }
    }
    return 0;
}
