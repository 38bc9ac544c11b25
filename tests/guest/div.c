/* ue-test: variants=s2 p0 */
/* DIV and IDIV, 8/16/32 bits, register and memory divisors, every dividend and
 * divisor pair from the boundary tables that does not raise #DE (flags are
 * undefined after a division and are not printed). */
#include "x86t.h"

static uint32_t cell[2];

static int div_ok(int w, int sign, uint32_t hi, uint32_t lo, uint32_t dv)
{
    if (dv == 0)
        return 0;
    if (w == 32) {
        if (!sign)
            return hi < dv;
        int64_t n = (int64_t)(((uint64_t)hi << 32) | lo);
        int32_t d = (int32_t)dv;
        if (n == INT64_MIN)
            return 0;
        int64_t q = n / d;
        return q >= INT32_MIN && q <= INT32_MAX;
    }
    uint32_t n = w == 8 ? (lo & 0xffff) : ((hi & 0xffff) << 16) | (lo & 0xffff);
    if (!sign)
        return n / dv <= wmask(w);
    int64_t sn = w == 8 ? (int16_t)n : (int32_t)n;
    int64_t sd = w == 8 ? (int8_t)dv : (int16_t)dv;
    if (sd == 0)
        return 0;
    int64_t q = sn / sd;
    return w == 8 ? (q >= -128 && q <= 127) : (q >= -32768 && q <= 32767);
}

static const uint32_t highs[] = {0, 1, 0x7f, 0x7fff, 0x7fffffff, 0x80000000, 0xffffffff, 0xffff8000};

int main(void)
{
    int count = 0;
    for (int w = 8; w <= 32; w *= 2) {
        int n;
        const uint32_t *v = vals_for(w, &n);
        for (int h = 0; h < NV(highs); h++)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    uint32_t hi = highs[h], lo = v[i], dv = v[j], a, c, d, f;
                    if (w == 8)
                        lo = (highs[h] << 8 & 0xff00) | v[i];
#define D(name, sign, c8, c16, c32, mem)                                        \
    if (div_ok(w, sign, hi, lo, dv)) {                                          \
        a = lo; d = hi; c = dv; cell[0] = dv;                                   \
        if (mem) c = (uint32_t)cell;                                            \
        if (w == 8) X86_RUN_A(c8, F_BASE, a, c, d, f);                          \
        else if (w == 16) X86_RUN_A(c16, F_BASE, a, c, d, f);                   \
        else X86_RUN_A(c32, F_BASE, a, c, d, f);                                \
        printf("%s%d %08x:%08x / %08x -> eax=%08x edx=%08x\n", name, w, hi, lo, dv, a, d); \
        count++;                                                                \
    }
                    D("div", 0, ".byte 0xf6, 0xf1", ".byte 0x66, 0xf7, 0xf1", ".byte 0xf7, 0xf1", 0)
                    D("idiv", 1, ".byte 0xf6, 0xf9", ".byte 0x66, 0xf7, 0xf9", ".byte 0xf7, 0xf9", 0)
                    D("div-m", 0, ".byte 0xf6, 0x31", ".byte 0x66, 0xf7, 0x31", ".byte 0xf7, 0x31", 1)
                    D("idiv-m", 1, ".byte 0xf6, 0x39", ".byte 0x66, 0xf7, 0x39", ".byte 0xf7, 0x39", 1)
#undef D
                }
    }
    printf("%d divisions\n", count);
    return 0;
}
