/* ue-test: variants=s2 p0 */
/* TEST in all its encodings (84 85 A8 A9 F6/0 F6/1 F7/0 F7/1); AF is undefined. */
#include "x86t.h"

static uint32_t cell[3];
#define SHOW(form, w, a, b, fin, r, f) \
    printf("test%d %-5s a=%08x b=%08x fi=%03x -> r=%08x f=%03x\n", w, form, a, b, fin, r, (f) & F_VISIBLE & ~F_AF)

static void regs(int w)
{
    int n;
    const uint32_t *v = vals_for(w, &n);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            for (int k = 0; k < NFLAGS_IN; k++) {
                uint32_t a = v[i], b = v[j], fin = flags_in[k], c, d, f, *p = &cell[1];
#define F(name, c8, c16, c32)                                                   \
    c = 0x5a5a5a00u | a; d = b; cell[1] = b;                                    \
    if (w == 8) X86_RUN(c8, fin, c, d, p, f);                                   \
    else if (w == 16) X86_RUN(c16, fin, c, d, p, f);                            \
    else X86_RUN(c32, fin, c, d, p, f);                                         \
    SHOW(name, w, a, b, fin, c, f);
                F("rr", ".byte 0x84, 0xd1", ".byte 0x66, 0x85, 0xd1", ".byte 0x85, 0xd1");
                F("mr", ".byte 0x84, 0x08", ".byte 0x66, 0x85, 0x08", ".byte 0x85, 0x08");
#undef F
            }
}

#define IMM(w, name, code, imm)                                                \
    do {                                                                       \
        int n;                                                                 \
        const uint32_t *v = vals_for(w, &n);                                   \
        for (int i = 0; i < n; i++)                                            \
            for (int k = 0; k < NFLAGS_IN; k++) {                              \
                uint32_t a = v[i], c = v[i], d = 0, f, *p = &cell[1];          \
                cell[1] = v[i];                                                \
                X86_RUN_A(code, flags_in[k], a, c, d, f);                      \
                SHOW(name, w, v[i], (uint32_t)(imm), flags_in[k], a, f);       \
                X86_RUN(".byte 0xf6, 0xc1, (" #imm ") & 0xff", flags_in[k], c, d, p, f); \
                if (w == 8) SHOW("f6/0", w, v[i], (uint32_t)(imm), flags_in[k], c, f); \
            }                                                                  \
    } while (0)

int main(void)
{
    regs(8);
    regs(16);
    regs(32);
#define I8(x) IMM(8, "a8", ".byte 0xa8, " #x, x & 0xff);
#define I32(x) IMM(32, "a9", ".byte 0xa9; .long " #x, x);
#define I16(x) IMM(16, "66a9", ".byte 0x66, 0xa9; .word " #x, x & 0xffff);
    I8(0x00) I8(0x01) I8(0x80) I8(0xff) I8(0x0f)
    I16(0x0000) I16(0x8000) I16(0x00ff) I16(0xffff)
    I32(0x00000000) I32(0x80000000) I32(0x0000ffff) I32(0xffffffff) I32(0x00000001)
    /* F6 /1 and F7 /1 are undocumented aliases of TEST on every x86 CPU. */
    for (int i = 0; i < NV(v32); i++) {
        uint32_t c = v32[i], d = 0, f, *p = cell;
        X86_RUN(".byte 0xf7, 0xc1; .long 0x00ff00ff", F_BASE, c, d, p, f);
        SHOW("f7/0", 32, v32[i], 0xff00ffu, F_BASE, c, f);
        c = v32[i];
        X86_RUN(".byte 0xf7, 0xc9; .long 0x80008000", F_BASE, c, d, p, f);
        SHOW("f7/1", 32, v32[i], 0x80008000u, F_BASE, c, f);
        c = v32[i];
        X86_RUN(".byte 0xf6, 0xc9, 0x81", F_BASE, c, d, p, f);
        SHOW("f6/1", 8, v32[i] & 0xff, 0x81, F_BASE, c, f);
    }
    return 0;
}
