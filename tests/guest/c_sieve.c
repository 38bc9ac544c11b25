/* ue-test: variants=all */
/* Sieve of Eratosthenes to 2 million with a byte array and with a bit array,
 * prime counts at powers of ten, the last primes, twin-prime count, and a
 * segmented sieve over a window above 10^9. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 2000000

int main(void)
{
    uint8_t *s = malloc(N + 1);
    memset(s, 1, N + 1);
    s[0] = s[1] = 0;
    for (uint32_t i = 2; i * i <= N; i++)
        if (s[i])
            for (uint32_t j = i * i; j <= N; j += i)
                s[j] = 0;
    uint32_t count = 0, next = 10, twins = 0, last[5] = {0};
    for (uint32_t i = 0; i <= N; i++) {
        if (s[i]) {
            count++;
            last[count % 5] = i;
            if (i >= 2 && s[i - 2])
                twins++;
        }
        if (i == next) {
            printf("pi(%u) = %u\n", next, count);
            next *= 10;
        }
    }
    printf("pi(%u) = %u, twins %u, last %u\n", N, count, twins, last[count % 5]);
    uint32_t *bits = calloc(N / 32 + 1, 4);
    for (uint32_t i = 2; i * i <= N; i++)
        if (!(bits[i >> 5] >> (i & 31) & 1))
            for (uint32_t j = i * i; j <= N; j += i)
                bits[j >> 5] |= 1u << (j & 31);
    uint32_t c2 = 0;
    for (uint32_t i = 2; i <= N; i++)
        c2 += !(bits[i >> 5] >> (i & 31) & 1);
    printf("bit sieve agrees: %d\n", c2 == count);
    /* segmented: primes in [10^9, 10^9 + 100000) */
    uint64_t lo = 1000000000ull, len = 100000;
    uint8_t *seg = malloc(len);
    memset(seg, 1, len);
    for (uint32_t p = 2; (uint64_t)p * p < lo + len; p++) {
        if (!s[p])
            continue;
        uint64_t start = (lo + p - 1) / p * p;
        for (uint64_t j = start; j < lo + len; j += p)
            seg[j - lo] = 0;
    }
    uint32_t sc = 0, first = 0;
    for (uint64_t i = 0; i < len; i++)
        if (seg[i]) {
            if (!sc)
                first = (uint32_t)(lo + i);
            sc++;
        }
    printf("primes in [1e9, 1e9+1e5): %u, first %u\n", sc, first);
    return 0;
}
