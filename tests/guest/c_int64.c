/* ue-test: variants=all */
/* 64-bit integer arithmetic on a 32-bit CPU (libgcc's __udivdi3 __divdi3
 * __umoddi3 __moddi3, and inline add/adc, mul, shld/shrd): products,
 * quotients and remainders with signs, shifts by 0..63, comparisons, a 64-bit
 * LCG, and conversions to and from 32-bit values. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

static volatile uint64_t sink;

int main(void)
{
    static const int64_t v[] = {0, 1, -1, 2, -2, 3, 7, -7, 10, 1000000007, -1000000007, 0x7fffffff, 0x80000000LL,
                                0xffffffffLL, 0x100000000LL, 0x123456789abcdefLL, -0x123456789abcdefLL, INT64_MAX,
                                INT64_MIN + 1, 0x8000000000000000ULL >> 1};
    const int nv = sizeof v / sizeof v[0];
    uint64_t h = 0;
    for (int i = 0; i < nv; i++)
        for (int j = 0; j < nv; j++) {
            int64_t a = v[i], b = v[j];
            uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
            uint64_t r[8];
            r[0] = ua + ub;
            r[1] = ua - ub;
            r[2] = ua * ub;
            r[3] = b ? (uint64_t)(a / b) : 0;
            r[4] = b ? (uint64_t)(a % b) : 0;
            r[5] = ub ? ua / ub : 0;
            r[6] = ub ? ua % ub : 0;
            r[7] = (a < b) | (ua < ub) << 1 | (a == b) << 2;
            if (i % 4 == 0 && j % 3 == 0)
                printf("%" PRIx64 " %" PRIx64 ": %" PRIx64 " %" PRIx64 " %" PRIx64 " %" PRIx64 " %" PRIx64 " %" PRIx64 " %" PRIx64 " %" PRIx64 "\n",
                       ua, ub, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
            for (int k = 0; k < 8; k++)
                h = h * 1099511628211ull + r[k];
        }
    printf("all pairs hash %016" PRIx64 "\n", h);
    uint64_t x = 0x0123456789abcdefULL;
    for (int s = 0; s < 64; s++) {
        uint64_t l = x << s, r = x >> s;
        int64_t ar = (int64_t)(x | 0x8000000000000000ULL) >> s;
        if (s % 7 == 0 || s == 31 || s == 32 || s == 33 || s == 63)
            printf("shift %2d: %016" PRIx64 " %016" PRIx64 " %016" PRIx64 "\n", s, l, r, (uint64_t)ar);
        h = h * 31 + l + r + (uint64_t)ar;
    }
    printf("shift hash %016" PRIx64 "\n", h);
    uint64_t lcg = 42;
    for (int i = 0; i < 100000; i++)
        lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
    printf("lcg %016" PRIx64 "\n", lcg);
    uint64_t big = 18446744073709551557ULL;   /* largest 64-bit prime */
    uint64_t f = 0;
    for (uint64_t d = 3; d < 20000; d += 2)
        if (big % d == 0)
            f = d;
    printf("no small factor of 2^64-59: %d\n", f == 0);
    int32_t i32 = -5;
    uint32_t u32 = 0xfffffffb;
    printf("conversions: %" PRId64 " %" PRIu64 " %d %u\n", (int64_t)i32, (uint64_t)u32, (int32_t)(int64_t)0x1fffffffbLL,
           (uint32_t)(uint64_t)0x1fffffffbULL);
    printf("printf limits: %lld %llu %llx\n", (long long)INT64_MIN, (unsigned long long)UINT64_MAX, 0x8000000000000000ULL);
    return 0;
}
