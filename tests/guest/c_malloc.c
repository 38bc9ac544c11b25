/* ue-test: variants=all */
/* malloc/free churn driven by an LCG: many sizes (including ones above the
 * mmap threshold), realloc growing and shrinking (contents kept), calloc
 * zeroing, memalign/posix_memalign alignment, every block filled and checked
 * before it is freed. */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t seed = 7;
static uint32_t rnd(void) { return seed = seed * 1664525u + 1013904223u; }

#define SLOTS 512

int main(void)
{
    static uint8_t *p[SLOTS];
    static uint32_t sz[SLOTS];
    uint32_t bad = 0, allocs = 0, h = 0;
    for (int round = 0; round < 12000; round++) {
        int i = rnd() % SLOTS;
        if (p[i]) {
            for (uint32_t k = 0; k < sz[i]; k += 97)
                if (p[i][k] != (uint8_t)(i + k))
                    bad++;
            if (rnd() % 4 == 0) {
                uint32_t ns = rnd() % 3 == 0 ? rnd() % 200000 + 1 : rnd() % 2000 + 1;
                uint8_t *q = realloc(p[i], ns);
                uint32_t keep = ns < sz[i] ? ns : sz[i];
                for (uint32_t k = 0; k < keep; k += 97)
                    if (q[k] != (uint8_t)(i + k))
                        bad++;
                for (uint32_t k = 0; k < ns; k++)
                    q[k] = (uint8_t)(i + k);
                p[i] = q;
                sz[i] = ns;
                continue;
            }
            free(p[i]);
            p[i] = NULL;
            continue;
        }
        uint32_t kind = rnd() % 10, n = kind < 6 ? rnd() % 256 + 1 : kind < 9 ? rnd() % 8192 + 1 : rnd() % 250000 + 1;
        if (kind == 3) {
            p[i] = calloc(n, 1);
            for (uint32_t k = 0; k < n; k++)
                if (p[i][k])
                    bad++;
        } else
            p[i] = malloc(n);
        if (!p[i]) {
            printf("allocation failed\n");
            return 1;
        }
        if (((uintptr_t)p[i] & 7) != 0)
            bad++;
        sz[i] = n;
        allocs++;
        for (uint32_t k = 0; k < n; k++)
            p[i][k] = (uint8_t)(i + k);
        h = h * 31 + n;
    }
    for (int i = 0; i < SLOTS; i++)
        free(p[i]);
    printf("allocations %u, size hash %08x, corrupted %u\n", allocs, h, bad);
    for (size_t al = 16; al <= 65536; al *= 4) {
        void *m = memalign(al, 1000);
        void *q = NULL;
        int r = posix_memalign(&q, al, 3000);
        void *a = aligned_alloc(al, al * 2);
        printf("align %6zu: memalign %d posix_memalign %d (r=%d) aligned_alloc %d\n", al, ((uintptr_t)m % al) == 0,
               ((uintptr_t)q % al) == 0, r, ((uintptr_t)a % al) == 0);
        free(m);
        free(q);
        free(a);
    }
    void *z = malloc(0);
    printf("malloc(0) non-NULL: %d\n", z != NULL);
    free(z);
    printf("usable >= requested: %d\n", malloc_usable_size(malloc(100)) >= 100);
    volatile size_t hugesize = 0xc0000000u;   /* above PTRDIFF_MAX: glibc refuses it */
    void *huge = malloc(hugesize);
    printf("3 GiB malloc fails: %d\n", huge == NULL);
    return 0;
}
