/* String and memory functions from glibc: strlen, memcpy, memchr, strcmp,
 * memcmp, memset on strings of mixed lengths and alignments. */
#include <string.h>
#include "bench.h"

#define NSTR 2048
#define BIG (256 * 1024)

int main(int argc, char **argv)
{
    long iters = arg_count(argc, argv, 120);
    static char *strs[NSTR];
    static char big[BIG + 64];
    uint32_t s = 777;
    /* Shared prefixes make strcmp walk a long way before the difference. */
    for (int i = 0; i < NSTR; i++) {
        int len = 8 + (int)(rng_next(&s) % 400);
        strs[i] = malloc((size_t)len + 1);
        for (int k = 0; k < len; k++)
            strs[i][k] = k < len / 2 ? 'a' + (char)(k % 7) : 'a' + (char)(rng_next(&s) % 26);
        strs[i][len] = '\0';
    }
    uint32_t h = MIX_INIT;
    for (long it = 0; it < iters; it++) {
        uint32_t lens = 0, cmps = 0, hits = 0;
        size_t off = (size_t)it % 13;
        for (int i = 0; i < NSTR; i++) {
            size_t len = strlen(strs[i]);
            lens += (uint32_t)len;
            if (off + len >= BIG)
                off = (size_t)i % 13;
            memcpy(big + off, strs[i], len);
            off += len;
            int c = strcmp(strs[i], strs[(i + 1) % NSTR]);
            cmps = cmps * 3 + (uint32_t)(c > 0) - (uint32_t)(c < 0);
        }
        char want = 'a' + (char)(it % 26);
        for (const char *p = big, *end = big + BIG; (p = memchr(p, want, (size_t)(end - p))); p++)
            hits++;
        cmps += (uint32_t)(memcmp(big, big + 4096, 65536) > 0);
        memset(big + (it % 4096), (int)it, 8192);
        h = mix32(mix32(mix32(h, lens), cmps), hits);
    }
    printf("string rounds: %ld\n", iters);
    print_checksum(h);
    return 0;
}
