/* ue-test: variants=s2 p0 */
/* BT BTS BTR BTC: register and immediate bit offsets on registers (offset taken
 * modulo the width), and register offsets on memory that reach far outside the
 * addressed word, forwards and backwards.  CF is the old bit, ZF is unchanged;
 * OF SF AF PF are undefined. */
#include "x86t.h"

#define FM (F_CF | F_ZF | 0x702u)
static uint32_t arr[64];

static void fill(void)
{
    for (int i = 0; i < 64; i++)
        arr[i] = 0x9e3779b9u * (i + 1);
}

static uint32_t sum(void)
{
    uint32_t s = 0;
    for (int i = 0; i < 64; i++)
        s = s * 31 + arr[i];
    return s;
}

static const int32_t offs[] = {0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 100, 255, 511, 1000, -1, -8, -31, -32, -33, -100, -500};

int main(void)
{
    const uint32_t vals[] = {0, 0xffffffff, 0x80000001, 0x12345678};
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < NFLAGS_IN; k++)
            for (int b = 0; b < 40; b += 3) {
                uint32_t fin = flags_in[k], a = 0, c, d, f;
#define R(name, code16, code32)                                                \
    c = vals[i]; d = b;                                                        \
    X86_RUN_A(code32, fin, a, c, d, f);                                        \
    printf("%s32 %08x bit %2d -> %08x f=%03x\n", name, vals[i], b, c, f & FM); \
    c = vals[i]; d = b;                                                        \
    X86_RUN_A(code16, fin, a, c, d, f);                                        \
    printf("%s16 %08x bit %2d -> %08x f=%03x\n", name, vals[i], b, c, f & FM);
                /* reg=edx (offset) rm=ecx: modrm d1 */
                R("bt", ".byte 0x66, 0x0f, 0xa3, 0xd1", ".byte 0x0f, 0xa3, 0xd1")
                R("bts", ".byte 0x66, 0x0f, 0xab, 0xd1", ".byte 0x0f, 0xab, 0xd1")
                R("btr", ".byte 0x66, 0x0f, 0xb3, 0xd1", ".byte 0x0f, 0xb3, 0xd1")
                R("btc", ".byte 0x66, 0x0f, 0xbb, 0xd1", ".byte 0x0f, 0xbb, 0xd1")
#undef R
            }
    /* Immediate offsets (0F BA /4../7), masked to the operand size. */
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < NFLAGS_IN; k++) {
            uint32_t fin = flags_in[k], a = 0, c, d = 0, f;
#define I(name, ext, imm)                                                      \
    c = vals[i]; X86_RUN_A(".byte 0x0f, 0xba, 0xc1+8*" #ext ", " #imm, fin, a, c, d, f); \
    printf("%s32 %08x imm %3d -> %08x f=%03x\n", name, vals[i], imm, c, f & FM);  \
    c = vals[i]; X86_RUN_A(".byte 0x66, 0x0f, 0xba, 0xc1+8*" #ext ", " #imm, fin, a, c, d, f); \
    printf("%s16 %08x imm %3d -> %08x f=%03x\n", name, vals[i], imm, c, f & FM);
#define ALLI(imm) I("bt", 4, imm) I("bts", 5, imm) I("btr", 6, imm) I("btc", 7, imm)
            ALLI(0) ALLI(5) ALLI(15) ALLI(16) ALLI(31) ALLI(32) ALLI(33) ALLI(200)
#undef I
        }
    /* Memory with register offsets: the offset selects a dword (or word)
     * anywhere around the operand address, including before it. */
    for (int o = 0; o < NV(offs); o++)
        for (int k = 0; k < NFLAGS_IN; k++) {
            uint32_t fin = flags_in[k], a, c, d, f;
#define M(name, code)                                                          \
    fill(); a = (uint32_t)&arr[32]; c = 0; d = offs[o];                        \
    X86_RUN_A(code, fin, a, c, d, f);                                          \
    printf("%s %5d -> sum=%08x f=%03x\n", name, offs[o], sum(), f & FM);
            /* reg=edx rm=[eax]: modrm 10 */
            M("bt-m32", ".byte 0x0f, 0xa3, 0x10")
            M("bts-m32", ".byte 0x0f, 0xab, 0x10")
            M("btr-m32", ".byte 0x0f, 0xb3, 0x10")
            M("btc-m32", ".byte 0x0f, 0xbb, 0x10")
            M("bt-m16", ".byte 0x66, 0x0f, 0xa3, 0x10")
            M("bts-m16", ".byte 0x66, 0x0f, 0xab, 0x10")
            M("btr-m16", ".byte 0x66, 0x0f, 0xb3, 0x10")
            M("btc-m16", ".byte 0x66, 0x0f, 0xbb, 0x10")
            M("lock-bts-m32", ".byte 0xf0, 0x0f, 0xab, 0x10")
            M("lock-btc-m32", ".byte 0xf0, 0x0f, 0xbb, 0x10")
#undef M
        }
    /* Memory with an immediate offset: masked, so it stays inside the operand. */
    for (int k = 0; k < NFLAGS_IN; k++) {
        uint32_t fin = flags_in[k], a, c, d, f;
#define MI(name, code)                                                         \
    fill(); a = (uint32_t)&arr[32]; c = 0; d = 0;                              \
    X86_RUN_A(code, fin, a, c, d, f);                                          \
    printf("%s -> sum=%08x f=%03x\n", name, sum(), f & FM);
        MI("bts-mi32-40", ".byte 0x0f, 0xba, 0x28, 40")
        MI("btr-mi32-3", ".byte 0x0f, 0xba, 0x30, 3")
        MI("btc-mi16-20", ".byte 0x66, 0x0f, 0xba, 0x38, 20")
        MI("bt-mi32-31", ".byte 0x0f, 0xba, 0x20, 31")
#undef MI
    }
    return 0;
}
