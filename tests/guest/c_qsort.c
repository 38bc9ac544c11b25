/* ue-test: variants=all */
/* qsort and bsearch on ints, strings and structs (stable order checked with a
 * tie-breaker), sizes 0 1 2 and up to 100000, sorted/reversed/equal inputs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t seed = 12345;
static uint32_t rnd(void) { return seed = seed * 1103515245u + 12345u; }

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

struct rec {
    int key;
    int seq;
    char name[10];
};
static int cmp_rec(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    if (x->key != y->key)
        return x->key - y->key;
    return x->seq - y->seq;
}

static uint32_t hash_ints(const int *v, int n)
{
    uint32_t h = 0;
    for (int i = 0; i < n; i++)
        h = h * 31 + (uint32_t)v[i];
    return h;
}

int main(void)
{
    static int v[100000];
    static const int sizes[] = {0, 1, 2, 3, 10, 100, 1000, 100000};
    for (int s = 0; s < 8; s++) {
        int n = sizes[s];
        for (int kind = 0; kind < 4; kind++) {
            for (int i = 0; i < n; i++)
                v[i] = kind == 0 ? (int)(rnd() >> 8) - (1 << 23) : kind == 1 ? i : kind == 2 ? n - i : 7;
            qsort(v, n, sizeof v[0], cmp_int);
            int ok = 1;
            for (int i = 1; i < n; i++)
                if (v[i - 1] > v[i])
                    ok = 0;
            printf("ints n=%d kind=%d sorted=%d hash=%08x\n", n, kind, ok, hash_ints(v, n));
        }
    }
    for (int i = 0; i < 1000; i++)
        v[i] = i * 3;
    int hits = 0;
    for (int k = -5; k < 3005; k++)
        hits += bsearch(&k, v, 1000, sizeof v[0], cmp_int) != NULL;
    printf("bsearch hits: %d\n", hits);

    static char words[2000][12];
    static char *ptrs[2000];
    for (int i = 0; i < 2000; i++) {
        int len = 1 + rnd() % 10;
        for (int j = 0; j < len; j++)
            words[i][j] = 'a' + rnd() % 26;
        words[i][len] = 0;
        ptrs[i] = words[i];
    }
    qsort(ptrs, 2000, sizeof ptrs[0], cmp_str);
    printf("strings: first=%s last=%s mid=%s\n", ptrs[0], ptrs[1999], ptrs[1000]);

    static struct rec recs[5000];
    for (int i = 0; i < 5000; i++) {
        recs[i].key = rnd() % 50;
        recs[i].seq = i;
        snprintf(recs[i].name, sizeof recs[i].name, "r%d", i);
    }
    qsort(recs, 5000, sizeof recs[0], cmp_rec);
    uint32_t h = 0;
    for (int i = 0; i < 5000; i++)
        h = h * 33 + recs[i].key * 7 + recs[i].seq;
    printf("structs: %s %s %s hash=%08x\n", recs[0].name, recs[2500].name, recs[4999].name, h);
    return 0;
}
