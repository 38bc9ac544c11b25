/* Sorting ints: glibc qsort with a comparison callback, then an own top-down
 * mergesort; both results must agree. */
#include <string.h>
#include "bench.h"

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void merge_sort(int *a, int *tmp, long n)
{
    if (n < 2)
        return;
    long mid = n / 2;
    merge_sort(a, tmp, mid);
    merge_sort(a + mid, tmp, n - mid);
    long i = 0, j = mid, k = 0;
    while (i < mid && j < n)
        tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
    while (i < mid)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, (size_t)n * sizeof *a);
}

int main(int argc, char **argv)
{
    long n = arg_count(argc, argv, 600000);
    int *a = malloc((size_t)n * sizeof *a), *b = malloc((size_t)n * sizeof *b);
    int *tmp = malloc((size_t)n * sizeof *tmp);
    uint32_t s = 2463534242u;
    for (long i = 0; i < n; i++)
        a[i] = b[i] = (int)(rng_next(&s) % 1000000007u) - 500000000;
    qsort(a, (size_t)n, sizeof *a, cmp_int);
    merge_sort(b, tmp, n);
    if (memcmp(a, b, (size_t)n * sizeof *a) != 0) {
        puts("qsort and mergesort disagree");
        return 1;
    }
    uint32_t h = MIX_INIT;
    for (long i = 0; i < n; i += 97)
        h = mix32(h, (uint32_t)a[i]);
    printf("sorted %ld ints, min %d max %d\n", n, a[0], a[n - 1]);
    print_checksum(h);
    return 0;
}
