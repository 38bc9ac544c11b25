/* Sieve of Eratosthenes over a byte array: strided stores, a branchy count. */
#include <string.h>
#include "bench.h"

int main(int argc, char **argv)
{
    long n = arg_count(argc, argv, 20000000);
    uint8_t *comp = calloc((size_t)n + 1, 1);
    for (long i = 2; i * i <= n; i++)
        if (!comp[i])
            for (long j = i * i; j <= n; j += i)
                comp[j] = 1;
    uint32_t h = MIX_INIT, count = 0, sum = 0;
    for (long i = 2; i <= n; i++)
        if (!comp[i]) {
            count++;
            sum += (uint32_t)i;
            if ((count & 1023) == 0)
                h = mix32(h, (uint32_t)i);
        }
    printf("primes up to %ld: %u (sum mod 2^32 %u)\n", n, count, sum);
    print_checksum(mix32(mix32(h, count), sum));
    return 0;
}
